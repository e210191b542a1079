namespace Loops.Evaluation.Tests;

/// <summary>Bad input fails with an <see cref="EvaluationInputException"/> whose message says what to fix.</summary>
public sealed class InputErrorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_missing_log_is_named()
    {
        var exception = await Assert.ThrowsAsync<EvaluationInputException>(
            () => LogSource.ReadAsync(_directory.File("nope.csv"), LogFormat.Obd, null, CancellationToken.None));
        Assert.Contains("nope.csv does not exist", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_log_without_the_propensity_column_names_the_column()
    {
        var path = _directory.File("bad.csv");
        await File.WriteAllLinesAsync(path, ["item_id,position,click", "0,1,0"]);
        var exception = await Assert.ThrowsAsync<EvaluationInputException>(() => ObdLogReader.ReadAsync(path, CancellationToken.None));
        Assert.Contains("no column 'propensity_score'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_propensity_out_of_range_names_the_line()
    {
        var path = TinyObdLog.Write(_directory, "0,t,0,1,1,0.5,aa", "1,t,1,1,0,0,aa");
        var exception = await Assert.ThrowsAsync<EvaluationInputException>(() => ObdLogReader.ReadAsync(path, CancellationToken.None));
        Assert.Contains("line 3: column 'propensity_score' is '0'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probabilities_that_do_not_sum_to_one_name_the_round()
    {
        var logs = await ObdLogReader.ReadAsync(TinyObdLog.Write(_directory), CancellationToken.None);
        var path = _directory.File("target.csv");
        await ProbabilityFiles.WriteAsync(path, logs, (e, a) => e.Round == 2 ? 0.3 : 1.0 / 3, allPositions: false);

        var exception = await Assert.ThrowsAsync<EvaluationInputException>(
            () => ProbabilityFilePolicy.LoadAsync(path, logs.Events, CancellationToken.None));
        Assert.Contains("round 2 at position 1 sum to 0.9", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_round_without_probabilities_is_named()
    {
        var logs = await ObdLogReader.ReadAsync(TinyObdLog.Write(_directory), CancellationToken.None);
        var path = _directory.File("target.csv");
        await File.WriteAllLinesAsync(path, ["round,action,position,prob", "0,0,1,1", "1,1,2,1", "2,2,1,1"]);

        var exception = await Assert.ThrowsAsync<EvaluationInputException>(
            () => ProbabilityFilePolicy.LoadAsync(path, logs.Events, CancellationToken.None));
        Assert.Contains("no probabilities for round 3 at position 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_and_repeated_actions_are_named()
    {
        var logs = await ObdLogReader.ReadAsync(TinyObdLog.Write(_directory), CancellationToken.None);
        var path = _directory.File("target.csv");
        await File.WriteAllLinesAsync(path, ["round,action,position,prob", "0,7,1,1"]);
        var unknown = await Assert.ThrowsAsync<EvaluationInputException>(
            () => ProbabilityFilePolicy.LoadAsync(path, logs.Events, CancellationToken.None));
        Assert.Contains("column 'action' is '7'", unknown.Message, StringComparison.Ordinal);

        await File.WriteAllLinesAsync(path, ["round,action,position,prob", "0,0,1,0.5", "0,0,1,0.5"]);
        var repeated = await Assert.ThrowsAsync<EvaluationInputException>(
            () => ProbabilityFilePolicy.LoadAsync(path, logs.Events, CancellationToken.None));
        Assert.Contains("lists it again", repeated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_probability_file_without_its_header_says_which_header_is_expected()
    {
        var logs = await ObdLogReader.ReadAsync(TinyObdLog.Write(_directory), CancellationToken.None);
        var path = _directory.File("target.csv");
        await File.WriteAllLinesAsync(path, ["round,action,prob", "0,0,1"]);
        var exception = await Assert.ThrowsAsync<EvaluationInputException>(
            () => ProbabilityFilePolicy.LoadAsync(path, logs.Events, CancellationToken.None));
        Assert.Contains("round,action,position,prob", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_based_estimator_for_a_target_without_full_distributions_is_refused()
    {
        var logs = await ObdLogReader.ReadAsync(TinyObdLog.Write(_directory), CancellationToken.None);
        var exception = Assert.Throws<EvaluationInputException>(() => EvaluationRunner.Run(
            new EvaluationRequest { Logs = logs, Target = new LoggingPolicy(), Estimators = ["ips", "dr"] }, CancellationToken.None));
        Assert.Contains("dr needs the target's probability of every action", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_estimator_lists_the_known_ones()
    {
        var logs = await ObdLogReader.ReadAsync(TinyObdLog.Write(_directory), CancellationToken.None);
        var exception = Assert.Throws<EvaluationInputException>(() => EvaluationRunner.Run(
            new EvaluationRequest { Logs = logs, Target = new UniformPolicy(), Estimators = ["ipw"] }, CancellationToken.None));
        Assert.Contains("unknown estimator 'ipw'; use one of ips, snips", exception.Message, StringComparison.Ordinal);
    }
}
