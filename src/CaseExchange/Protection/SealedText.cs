using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseExchange.Protection;

/// <summary>
/// Ciphertext of one nominative value (an identity, a free text), sealed with its situation's key.
/// This is the only form in which nominative data reaches an event, a document or a log.
/// Format: "v1:" + base64(nonce[12] | ciphertext | tag[16]).
/// </summary>
[JsonConverter(typeof(SealedTextJsonConverter))]
public sealed record SealedText(string Value)
{
    public override string ToString() => "[sealed]";
}

internal sealed class SealedTextJsonConverter : JsonConverter<SealedText>
{
    public override SealedText? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : new SealedText(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, SealedText value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
