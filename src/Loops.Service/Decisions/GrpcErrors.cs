using Loops.Grpc;

namespace Loops.Service.Decisions;

/// <summary>The statuses the API answers bad requests with.</summary>
internal static class GrpcErrors
{
    public static GrpcException Invalid(string message) => new(StatusCode.InvalidArgument, message);

    public static GrpcException PolicyNotFound(string policy) => new(
        StatusCode.NotFound,
        $"policy '{policy}' does not exist; create it with PolicyAdmin.UpsertPolicy.");
}
