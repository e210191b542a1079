using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Grpc;
using Loops.Service.Decisions;
using Loops.Training;

namespace Loops.Service.Admin;

/// <summary>
/// The model-version part of the PolicyAdmin API: list the stored versions, promote one, roll back, and read the
/// audit log. Every promotion and rollback asked for here is an audit record naming the administrator.
/// </summary>
internal sealed class ModelAdmin(PolicyCatalog catalog, AuditLog audit)
{
    private const int DefaultLimit = 100;

    public async ValueTask<ListModelsResponse> ListModelsAsync(ListModelsRequest request, CancellationToken cancellationToken)
    {
        RequirePolicy(request.Policy);
        var response = new ListModelsResponse();
        response.Models.Add(await catalog.ListModelsAsync(request.Policy, cancellationToken).ConfigureAwait(false));
        return response;
    }

    public async ValueTask<ModelVersion> PromoteAsync(PromoteRequest request, CancellationToken cancellationToken)
    {
        var state = RequirePolicy(request.Policy);
        var from = state.ModelVersion;
        var entry = await MakeLiveAsync(request.Policy, request.Version, rollback: false, cancellationToken).ConfigureAwait(false);
        await RecordAsync(request.Policy, request.Actor, "promoted", from, entry.Version, $"promoted version {entry.Version} by request", cancellationToken)
            .ConfigureAwait(false);
        return entry;
    }

    public async ValueTask<ModelVersion> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken)
    {
        var state = RequirePolicy(request.Policy);
        var from = state.ModelVersion;
        var target = catalog.PreviousVersion(request.Policy)
            ?? throw new GrpcException(StatusCode.FailedPrecondition, $"policy '{request.Policy}' has no previous model version to roll back to.");
        var entry = await MakeLiveAsync(request.Policy, target, rollback: true, cancellationToken).ConfigureAwait(false);
        catalog.RolledBack(request.Policy);
        await RecordAsync(request.Policy, request.Actor, "rolled_back", from, target, $"rolled back from version {from} to {target} by request", cancellationToken)
            .ConfigureAwait(false);
        return entry;
    }

    public async ValueTask<ExportedModel> ExportAsync(ExportModelRequest request, CancellationToken cancellationToken)
    {
        RequirePolicy(request.Policy);
        if (request.Version < 0)
        {
            throw GrpcErrors.Invalid($"version must not be negative (0 is the live one), got {request.Version}.");
        }

        var (version, file) = await ModelStoreCallAsync(request.Policy, () => catalog.ExportAsync(request.Policy, request.Version, cancellationToken))
            .ConfigureAwait(false);
        return new ExportedModel { Policy = request.Policy, Version = version, ModelFile = ByteString.CopyFrom(file) };
    }

    public async ValueTask<ModelVersion> ImportAsync(ImportModelRequest request, CancellationToken cancellationToken)
    {
        RequirePolicy(request.Policy);
        if (request.ModelFile.IsEmpty)
        {
            throw GrpcErrors.Invalid("model_file is empty; send the bytes of a model file (as ExportModel gives them).");
        }

        ModelVersion entry;
        try
        {
            entry = await ModelStoreCallAsync(request.Policy, () => catalog.ImportAsync(request.Policy, request.ModelFile.ToByteArray(), cancellationToken))
                .ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw GrpcErrors.Invalid($"model_file: {ex.Message}");
        }

        await RecordAsync(request.Policy, request.Actor, "imported", 0, entry.Version, $"imported a model file as version {entry.Version}", cancellationToken)
            .ConfigureAwait(false);
        return entry;
    }

    public async ValueTask<ListEvaluationsResponse> ListEvaluationsAsync(ListEvaluationsRequest request, CancellationToken cancellationToken)
    {
        RequirePolicy(request.Policy);
        if (request.Limit < 0)
        {
            throw GrpcErrors.Invalid($"limit must not be negative, got {request.Limit}.");
        }

        var response = new ListEvaluationsResponse();
        var limit = request.Limit == 0 ? DefaultLimit : request.Limit;
        response.Evaluations.Add(await audit.RecentAsync(request.Policy, limit, cancellationToken).ConfigureAwait(false));
        return response;
    }

    private PolicyState RequirePolicy(string policy)
    {
        if (policy.Length == 0)
        {
            throw GrpcErrors.Invalid("policy is empty; name the policy.");
        }

        return catalog.Find(policy) ?? throw GrpcErrors.PolicyNotFound(policy);
    }

    private Task<ModelVersion> MakeLiveAsync(string policy, long version, bool rollback, CancellationToken cancellationToken) =>
        ModelStoreCallAsync(policy, () => catalog.MakeLiveAsync(policy, version, rollback, cancellationToken));

    private static async Task<T> ModelStoreCallAsync<T>(string policy, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (KeyNotFoundException ex)
        {
            throw new GrpcException(StatusCode.NotFound, $"policy '{policy}': {ex.Message} List them with ListModels.");
        }
        catch (IOException ex)
        {
            throw new GrpcException(StatusCode.Unavailable, $"policy '{policy}': the model store cannot be reached ({ex.Message}); retry.");
        }
    }

    private Task RecordAsync(string policy, string actor, string decision, long from, long to, string reason, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            new Evaluation
            {
                Policy = policy,
                Actor = actor.Length == 0 ? "admin" : actor,
                Decision = decision,
                FromVersion = from,
                ToVersion = to,
                Reason = reason,
            },
            cancellationToken);
}
