using Google.Protobuf;

namespace Loops.Grpc;

/// <summary>Describes one gRPC method: its path on the wire and how its messages are parsed.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    /// <summary>Describes a method of a service.</summary>
    /// <param name="type">Unary or client streaming.</param>
    /// <param name="serviceName">The fully qualified service name, e.g. <c>loops.v1.DecisionService</c>.</param>
    /// <param name="name">The method name, e.g. <c>Decide</c>.</param>
    /// <param name="requestParser">Parses requests.</param>
    /// <param name="responseParser">Parses responses.</param>
    public GrpcMethod(
        MethodType type,
        string serviceName,
        string name,
        MessageParser<TRequest> requestParser,
        MessageParser<TResponse> responseParser)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        RequestParser = requestParser ?? throw new ArgumentNullException(nameof(requestParser));
        ResponseParser = responseParser ?? throw new ArgumentNullException(nameof(responseParser));
        Path = "/" + serviceName + "/" + name;
    }

    /// <summary>Unary or client streaming.</summary>
    public MethodType Type { get; }

    /// <summary>The fully qualified service name.</summary>
    public string ServiceName { get; }

    /// <summary>The method name.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 path of the method: <c>/{service}/{method}</c>.</summary>
    public string Path { get; }

    /// <summary>Parses request messages.</summary>
    public MessageParser<TRequest> RequestParser { get; }

    /// <summary>Parses response messages.</summary>
    public MessageParser<TResponse> ResponseParser { get; }
}
