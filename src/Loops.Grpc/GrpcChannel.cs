using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Loops.Grpc;

/// <summary>
/// A client connection to a gRPC server over HTTP/2 (cleartext with prior knowledge for <c>http://</c>, TLS with
/// ALPN for <c>https://</c>). Thread-safe; create one per server and reuse it.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly Uri _address;
    private readonly int _maxReceiveMessageSize;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        _address = address;
        _maxReceiveMessageSize = options.MaxReceiveMessageSize;
        var handler = options.HttpHandler ?? new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        _invoker = new HttpMessageInvoker(handler, options.HttpHandler is null || options.DisposeHttpHandler);
    }

    /// <summary>Creates a channel to a server address such as <c>http://127.0.0.1:5000</c>.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The address must be http:// or https://, got '{address}'.", nameof(address));
        }

        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    /// <summary>Creates a channel to a server address such as <c>http://127.0.0.1:5000</c>.</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address, UriKind.Absolute), options);

    /// <summary>Calls a unary method.</summary>
    /// <exception cref="GrpcException">The server answered with a non-OK status, or the call failed.</exception>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        TRequest request,
        CallOptions options = default)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = CallDeadline.Start(options);
        using var message = CreateRequest(method.Path, new UnaryContent(request), options);
        try
        {
            using var response = await _invoker.SendAsync(message, deadline.Token).ConfigureAwait(false);
            return await ResponseReader.ReadUnaryAsync(response, method.ResponseParser, _maxReceiveMessageSize, deadline.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not GrpcException)
        {
            throw deadline.Translate(ex);
        }
    }

    /// <summary>Starts a client-streaming call: write requests, then complete it to get the response.</summary>
    public ClientStreamingCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        CallOptions options = default)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        var deadline = CallDeadline.Start(options);
        var content = new StreamingContent<TRequest>();
        var message = CreateRequest(method.Path, content, options);
        var responseTask = SendStreamingAsync(message, method.ResponseParser, deadline);
        return new ClientStreamingCall<TRequest, TResponse>(content, responseTask, deadline);
    }

    /// <inheritdoc />
    public void Dispose() => _invoker.Dispose();

    private async Task<TResponse> SendStreamingAsync<TResponse>(
        HttpRequestMessage message,
        MessageParser<TResponse> parser,
        CallDeadline deadline)
        where TResponse : IMessage<TResponse>
    {
        try
        {
            using var response = await _invoker.SendAsync(message, deadline.Token).ConfigureAwait(false);
            return await ResponseReader.ReadUnaryAsync(response, parser, _maxReceiveMessageSize, deadline.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not GrpcException)
        {
            throw deadline.Translate(ex);
        }
        finally
        {
            message.Dispose();
        }
    }

    private HttpRequestMessage CreateRequest(string path, HttpContent content, CallOptions options)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        message.Headers.TryAddWithoutValidation("te", "trailers");
        message.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.IdentityEncoding);
        if (options.Timeout is { } timeout)
        {
            message.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
        }

        if (options.Headers is { } headers)
        {
            foreach (var (name, value) in headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        content.Headers.ContentType = GrpcContentType;
        return message;
    }

    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);
}
