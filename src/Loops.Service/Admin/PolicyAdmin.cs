using Loops.Contracts.V1;
using Loops.Grpc;
using Loops.Service.Decisions;
using Loops.Training;

namespace Loops.Service.Admin;

/// <summary>The PolicyAdmin API over the policy catalogue.</summary>
internal sealed class PolicyAdmin(PolicyCatalog catalog, IPolicyReplication? replication = null)
{
    public async ValueTask<Policy> UpsertAsync(UpsertPolicyRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var state = await catalog.UpsertAsync(request.Policy, cancellationToken).ConfigureAwait(false);
            if (replication is not null)
            {
                await replication.PublishAsync(state.Settings.Definition, cancellationToken).ConfigureAwait(false);
            }

            return state.ToPolicy();
        }
        catch (InvalidPolicyException ex)
        {
            throw new GrpcException(StatusCode.InvalidArgument, ex.Message);
        }
    }

    public ValueTask<Policy> GetAsync(GetPolicyRequest request)
    {
        if (request.Name.Length == 0)
        {
            throw GrpcErrors.Invalid("name is empty; name the policy to get.");
        }

        var state = catalog.Find(request.Name) ?? throw GrpcErrors.PolicyNotFound(request.Name);
        return ValueTask.FromResult(state.ToPolicy());
    }

    public ValueTask<ListPoliciesResponse> ListAsync()
    {
        var response = new ListPoliciesResponse();
        response.Policies.Add(catalog.All.OrderBy(p => p.Settings.Name, StringComparer.Ordinal).Select(p => p.ToPolicy()));
        return ValueTask.FromResult(response);
    }
}
