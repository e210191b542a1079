using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Loops.Grpc.Tests;

public sealed class ServerTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private TestServer _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Unary_call_round_trips_the_message()
    {
        var response = await _channel.UnaryAsync(TestServer.Echo, new StringValue { Value = "héllo" }).WaitAsync(Limit);
        Assert.Equal("héllo", response.Value);
    }

    [Fact]
    public async Task Unary_handler_reads_its_request_bytes_and_the_methods_decoder_decodes_them()
    {
        var request = new StringValue { Value = new string('x', 900) };
        var decoded = TestServer.Decoded;

        var response = await _channel.UnaryAsync(TestServer.Bytes, request).WaitAsync(Limit);

        Assert.Equal(request.ToByteArray(), response.Value.ToByteArray());
        Assert.True(TestServer.Decoded > decoded);
    }

    [Fact]
    public async Task Empty_message_round_trips()
    {
        var response = await _channel.UnaryAsync(TestServer.Echo, new StringValue()).WaitAsync(Limit);
        Assert.Equal(string.Empty, response.Value);
    }

    [Fact]
    public async Task Client_streaming_call_sees_every_message()
    {
        using var call = _channel.ClientStreaming(TestServer.Sum);
        for (var i = 1; i <= 1000; i++)
        {
            await call.WriteAsync(new Int32Value { Value = i }).AsTask().WaitAsync(Limit);
        }

        var response = await call.CompleteAsync().WaitAsync(Limit);
        Assert.Equal(500_500, response.Value);
    }

    [Fact]
    public async Task Empty_client_stream_gets_a_response()
    {
        using var call = _channel.ClientStreaming(TestServer.Sum);
        var response = await call.CompleteAsync().WaitAsync(Limit);
        Assert.Equal(0, response.Value);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _channel.UnaryAsync(TestServer.Missing, new StringValue()).WaitAsync(Limit));
        Assert.Equal(StatusCode.Unimplemented, error.Status);
        Assert.Contains("/test.Echo/Missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_status_and_unicode_message_reach_the_client()
    {
        var text = "policy 'ü%x' is bad\n100%";
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _channel.UnaryAsync(TestServer.Fail, new StringValue { Value = text }).WaitAsync(Limit));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Equal(text, error.Message);
    }

    [Fact]
    public async Task Unexpected_exception_is_internal_without_details()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _channel.UnaryAsync(TestServer.Crash, new StringValue()).WaitAsync(Limit));
        Assert.Equal(StatusCode.Internal, error.Status);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_over_the_limit_is_resource_exhausted()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _channel.UnaryAsync(TestServer.Echo, new StringValue { Value = new string('x', 5000) }).WaitAsync(Limit));
        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
        Assert.Contains("larger than max", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_cancels_the_handler_and_reports_deadline_exceeded()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _channel.UnaryAsync(TestServer.Slow, new StringValue(), new CallOptions { Timeout = TimeSpan.FromMilliseconds(200) })
                .WaitAsync(Limit));
        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        await _server.SlowCallCancelled.Task.WaitAsync(Limit);
    }

    [Fact]
    public async Task Server_enforces_grpc_timeout_header()
    {
        using var client = RawClient();
        using var request = RawRequest("/test.Echo/Slow", MessageFraming.ToFrame(new StringValue()));
        request.Headers.TryAddWithoutValidation("grpc-timeout", "100m");
        using var response = await client.SendAsync(request).WaitAsync(Limit);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("4", Status(response));
        await _server.SlowCallCancelled.Task.WaitAsync(Limit);
    }

    [Fact]
    public async Task Client_cancellation_cancels_the_handler()
    {
        using var source = new CancellationTokenSource();
        var call = _channel.UnaryAsync(TestServer.Slow, new StringValue(), new CallOptions { CancellationToken = source.Token });
        await _server.SlowCallStarted.Task.WaitAsync(Limit);
        await source.CancelAsync();
        var error = await Assert.ThrowsAsync<GrpcException>(() => call.WaitAsync(Limit));
        Assert.Equal(StatusCode.Cancelled, error.Status);
        await _server.SlowCallCancelled.Task.WaitAsync(Limit);
    }

    [Fact]
    public async Task Unsupported_encoding_is_unimplemented_and_names_it()
    {
        using var client = RawClient();
        using var request = RawRequest("/test.Echo/Echo", MessageFraming.ToFrame(new StringValue { Value = "x" }));
        request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        using var response = await client.SendAsync(request).WaitAsync(Limit);
        Assert.Equal("12", Status(response));
        Assert.Contains("gzip", Message(response), StringComparison.Ordinal);
        Assert.Equal("identity", response.Headers.GetValues("grpc-accept-encoding").Single());
    }

    [Fact]
    public async Task Compressed_flag_without_encoding_is_internal()
    {
        var frame = MessageFraming.ToFrame(new StringValue { Value = "x" });
        frame[0] = 1;
        using var client = RawClient();
        using var response = await client.SendAsync(RawRequest("/test.Echo/Echo", frame)).WaitAsync(Limit);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("13", Status(response));
    }

    [Fact]
    public async Task Malformed_message_is_internal_and_names_the_type()
    {
        byte[] frame = [0, 0, 0, 0, 3, 0x0A, 0x05, 0x41];
        using var client = RawClient();
        using var response = await client.SendAsync(RawRequest("/test.Echo/Echo", frame)).WaitAsync(Limit);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("13", Status(response));
        Assert.Contains("StringValue", Message(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_message_is_internal()
    {
        byte[] frame = [0, 0, 0, 0, 10, 0x0A];
        using var client = RawClient();
        using var response = await client.SendAsync(RawRequest("/test.Echo/Echo", frame)).WaitAsync(Limit);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("13", Status(response));
    }

    [Fact]
    public async Task Successful_response_has_grpc_content_type_and_ok_trailer()
    {
        using var client = RawClient();
        using var response = await client.SendAsync(RawRequest("/test.Echo/Echo", MessageFraming.ToFrame(new StringValue { Value = "a" })))
            .WaitAsync(Limit);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(MessageFraming.ToFrame(new StringValue { Value = "a" }), body);
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
    }

    [Fact]
    public async Task Non_grpc_requests_continue_down_the_pipeline()
    {
        using var client = RawClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.Address, "/anything"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static HttpClient RawClient() => new(new SocketsHttpHandler());

    private HttpRequestMessage RawRequest(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    private static string Status(HttpResponseMessage response) =>
        response.Headers.TryGetValues("grpc-status", out var values)
            ? values.Single()
            : response.TrailingHeaders.GetValues("grpc-status").Single();

    private static string Message(HttpResponseMessage response) =>
        StatusMessageEncoding.Decode(response.Headers.TryGetValues("grpc-message", out var values)
            ? values.Single()
            : response.TrailingHeaders.GetValues("grpc-message").Single());
}
