using Loops.Simulation.Strategies;
using Loops.Simulation.World;

namespace Loops.Simulation.Running;

/// <summary>
/// Runs one strategy on one seed in-process, step by step: draw the player, let the strategy choose, realise the
/// outcome, record it, and hand the strategy every decision whose reward window has closed. Allocates nothing per
/// step (the learner's context is drawn again from the seed instead of being stored).
/// </summary>
internal static class SimulationRunner
{
    private const int ProgressEvery = 4096;

    public static RunResult Run(
        ScenarioEnvironment environment,
        StrategySpec spec,
        IStrategy strategy,
        int seedIndex,
        ulong seed,
        int bucketSize,
        Action<int>? onProgress,
        CancellationToken cancellationToken)
    {
        var metrics = new RunMetrics(environment.Horizon, bucketSize, environment.PersonaCount, environment.ActionCount);
        var context = environment.NewContext();
        var learningContext = environment.NewContext();
        var conversion = new double[environment.ActionCount];
        var revenue = new double[environment.ActionCount];
        var expectedNet = new double[environment.ActionCount];
        var pending = new PendingFeedback(environment.RewardWindowSteps);
        for (var step = 0; step < environment.Horizon; step++)
        {
            environment.DrawContext(seed, step, context);
            Evaluate(environment, context, conversion, revenue, expectedNet);
            var best = OracleStrategy.Best(expectedNet);
            var action = strategy.Choose(context, expectedNet, out var probability);
            var outcome = environment.Realize(seed, step, action, conversion[action], revenue[action], context.Persona);
            metrics.Record(step, context.Persona, action, best, expectedNet[best] - expectedNet[action], outcome);
            pending.Add(step, action, probability, environment.ObservedReward(action, outcome));
            while (pending.TryTakeDue(step, out var due))
            {
                if (strategy.LearnsFromContext)
                {
                    environment.DrawContext(seed, due.Step, learningContext);
                }

                strategy.Learn(learningContext, due.Action, due.Probability, due.ObservedReward);
            }

            if ((step + 1) % ProgressEvery == 0)
            {
                onProgress?.Invoke(ProgressEvery);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        onProgress?.Invoke(environment.Horizon % ProgressEvery);
        return new RunResult(spec.Name, seedIndex, seed, metrics, AbTestOutcomeOf(strategy));
    }

    /// <summary>The true conversion, mean revenue and expected net value of every action for this player.</summary>
    public static void Evaluate(ScenarioEnvironment environment, SimContext context, double[] conversion, double[] revenue, double[] expectedNet)
    {
        environment.Respond(context, conversion, revenue);
        for (var a = 0; a < expectedNet.Length; a++)
        {
            expectedNet[a] = environment.ExpectedNet(a, conversion[a], revenue[a]);
        }
    }

    private static AbTestOutcome? AbTestOutcomeOf(IStrategy strategy) => strategy is AbTestStrategy abTest
        ? new AbTestOutcome(abTest.StoppedAtStep, abTest.Winner, abTest.Significant)
        : null;
}
