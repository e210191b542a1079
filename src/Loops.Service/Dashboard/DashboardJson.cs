using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Loops.Service.Dashboard;

/// <summary>
/// Writes the dashboard's JSON: objects whose members are API messages in their protobuf JSON form (the same
/// <see cref="JsonFormatter"/> mapping any gRPC-JSON client sees, default values included), so pages show the API's numbers.
/// </summary>
internal sealed class DashboardJson : IDisposable
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private readonly MemoryStream _buffer = new();
    private readonly Utf8JsonWriter _writer;

    public DashboardJson()
    {
        _writer = new Utf8JsonWriter(_buffer);
        _writer.WriteStartObject();
    }

    public static IResult Message(IMessage message) => Results.Text(Formatter.Format(message), "application/json", Encoding.UTF8);

    public DashboardJson Add(string name, IMessage? message)
    {
        _writer.WritePropertyName(name);
        if (message is null)
        {
            _writer.WriteNullValue();
        }
        else
        {
            _writer.WriteRawValue(Formatter.Format(message), skipInputValidation: true);
        }

        return this;
    }

    public DashboardJson Add(string name, IEnumerable<IMessage> messages)
    {
        _writer.WriteStartArray(name);
        foreach (var message in messages)
        {
            _writer.WriteRawValue(Formatter.Format(message), skipInputValidation: true);
        }

        _writer.WriteEndArray();
        return this;
    }

    public DashboardJson Add(string name, string value)
    {
        _writer.WriteString(name, value);
        return this;
    }

    public DashboardJson StartArray(string name)
    {
        _writer.WriteStartArray(name);
        return this;
    }

    public DashboardJson EndArray()
    {
        _writer.WriteEndArray();
        return this;
    }

    public DashboardJson StartObject()
    {
        _writer.WriteStartObject();
        return this;
    }

    public DashboardJson EndObject()
    {
        _writer.WriteEndObject();
        return this;
    }

    public IResult ToResult()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return Results.Bytes(_buffer.ToArray(), "application/json");
    }

    public void Dispose()
    {
        _writer.Dispose();
        _buffer.Dispose();
    }
}
