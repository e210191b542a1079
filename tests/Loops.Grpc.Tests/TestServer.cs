using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Loops.Grpc.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Loops.Grpc.Tests;

/// <summary>A real Kestrel server on a dynamic loopback port, HTTP/2 cleartext only, serving test methods.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public static readonly GrpcMethod<StringValue, StringValue> Echo =
        new(MethodType.Unary, "test.Echo", "Echo", StringValue.Parser, StringValue.Parser);

    public static readonly GrpcMethod<Int32Value, Int32Value> Sum =
        new(MethodType.ClientStreaming, "test.Echo", "Sum", Int32Value.Parser, Int32Value.Parser);

    public static readonly GrpcMethod<StringValue, StringValue> Fail =
        new(MethodType.Unary, "test.Echo", "Fail", StringValue.Parser, StringValue.Parser);

    public static readonly GrpcMethod<StringValue, StringValue> Crash =
        new(MethodType.Unary, "test.Echo", "Crash", StringValue.Parser, StringValue.Parser);

    public static readonly GrpcMethod<StringValue, StringValue> Slow =
        new(MethodType.Unary, "test.Echo", "Slow", StringValue.Parser, StringValue.Parser);

    public static readonly GrpcMethod<StringValue, StringValue> Missing =
        new(MethodType.Unary, "test.Echo", "Missing", StringValue.Parser, StringValue.Parser);

    /// <summary>Answers with the bytes of its request, as the handler saw them after an await; decoded by a decoder of its own.</summary>
    public static readonly GrpcMethod<StringValue, BytesValue> Bytes =
        new(MethodType.Unary, "test.Echo", "Bytes", StringValue.Parser, BytesValue.Parser, payload =>
        {
            Interlocked.Increment(ref s_decoded);
            return StringValue.Parser.ParseFrom(payload);
        });

    private static int s_decoded;

    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>How many requests the decoder of <see cref="Bytes"/> has decoded.</summary>
    public static int Decoded => Volatile.Read(ref s_decoded);

    public TaskCompletionSource SlowCallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowCallCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestServer> StartAsync(int maxReceiveMessageSize = 1024)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcTransport(o => o.MaxReceiveMessageSize = maxReceiveMessageSize);
        var app = builder.Build();
        TestServer? server = null;
        app.UseGrpcTransport();
        app.MapGrpcUnary(Echo, (request, _) => ValueTask.FromResult(new StringValue { Value = request.Value }));
        app.MapGrpcUnary(Bytes, async (_, context) =>
        {
            await Task.Yield();
            return new BytesValue { Value = ByteString.CopyFrom(System.Buffers.BuffersExtensions.ToArray(context.RequestBytes)) };
        });
        app.MapGrpcClientStreaming(Sum, async (requests, context) =>
        {
            var total = 0;
            await foreach (var item in requests.WithCancellation(context.CancellationToken))
            {
                total += item.Value;
            }

            return new Int32Value { Value = total };
        });
        app.MapGrpcUnary(Fail, (request, _) =>
            throw new GrpcException(StatusCode.InvalidArgument, request.Value));
        app.MapGrpcUnary<StringValue, StringValue>(Crash, (_, _) =>
            throw new InvalidOperationException("secret internal detail"));
        app.MapGrpcUnary(Slow, async (request, context) =>
        {
            server!.SlowCallStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                server!.SlowCallCancelled.TrySetResult();
                throw;
            }

            return request;
        });
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new TestServer(app, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
