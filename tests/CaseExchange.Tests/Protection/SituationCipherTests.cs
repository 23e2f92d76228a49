using System.Security.Cryptography;
using CaseExchange.Protection;

namespace CaseExchange.Tests.Protection;

public sealed class SituationCipherTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly Guid Situation = Guid.NewGuid();

    [Fact]
    public void A_sealed_value_opens_with_its_key_council_situation_and_field()
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        var sealedText = cipher.Seal(SealedFields.Facts, "Faits très confidentiels");
        Assert.StartsWith("v1:", sealedText.Value);
        Assert.DoesNotContain("confidentiels", sealedText.Value);
        Assert.Equal("Faits très confidentiels", cipher.Open(SealedFields.Facts, sealedText));
        Assert.Equal("[sealed]", sealedText.ToString());
    }

    [Fact]
    public void Sealing_twice_gives_two_different_ciphertexts()
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        Assert.NotEqual(cipher.Seal(SealedFields.Facts, "même texte").Value, cipher.Seal(SealedFields.Facts, "même texte").Value);
    }

    [Fact]
    public void A_sealed_value_moved_to_another_field_situation_or_council_does_not_open()
    {
        var sealedText = new SituationCipher(Key, "ville", Situation).Seal(SealedFields.Facts, "Faits");
        Assert.ThrowsAny<CryptographicException>(() => new SituationCipher(Key, "ville", Situation).Open(SealedFields.ClosureComment, sealedText));
        Assert.ThrowsAny<CryptographicException>(() => new SituationCipher(Key, "ville", Guid.NewGuid()).Open(SealedFields.Facts, sealedText));
        Assert.ThrowsAny<CryptographicException>(() => new SituationCipher(Key, "autre-ville", Situation).Open(SealedFields.Facts, sealedText));
    }

    [Fact]
    public void A_tampered_or_foreign_key_ciphertext_does_not_open()
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        var sealedText = cipher.Seal(SealedFields.Facts, "Faits");
        var bytes = Convert.FromBase64String(sealedText.Value[3..]);
        bytes[20] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(SealedFields.Facts, new SealedText("v1:" + Convert.ToBase64String(bytes))));
        Assert.ThrowsAny<CryptographicException>(() => new SituationCipher(RandomNumberGenerator.GetBytes(32), "ville", Situation).Open(SealedFields.Facts, sealedText));
    }
}

/// <summary>
/// The cipher reuses one AES-GCM context per situation key and seals in pooled or stack buffers; the format is the same
/// "v1:" + base64(nonce | ciphertext | tag) with the same associated data, so values sealed before still open, and values
/// sealed now open with the code that sealed them before (reproduced here as it was: a new context per value).
/// </summary>
public sealed class SituationCipherFormatTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly Guid Situation = Guid.NewGuid();

    private static byte[] LegacyAssociatedData(string council, Guid situation, string field) =>
        System.Text.Encoding.UTF8.GetBytes($"caseexchange/v1/{council}/{situation:N}/{field}");

    private static SealedText LegacySeal(byte[] key, string council, Guid situation, string field, string plaintext)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(12, plain.Length), output.AsSpan(12 + plain.Length), LegacyAssociatedData(council, situation, field));
        return new SealedText("v1:" + Convert.ToBase64String(output));
    }

    private static string LegacyOpen(byte[] key, string council, Guid situation, string field, SealedText sealedText)
    {
        var input = Convert.FromBase64String(sealedText.Value[3..]);
        var cipherLength = input.Length - 12 - 16;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(input.AsSpan(0, 12), input.AsSpan(12, cipherLength), input.AsSpan(12 + cipherLength), plain, LegacyAssociatedData(council, situation, field));
        return System.Text.Encoding.UTF8.GetString(plain);
    }

    public static TheoryData<string> Texts => new()
    {
        "",
        "Faits très confidentiels : Zoé, 12 ans, « hébergée » chez sa tante.",
        string.Concat(Enumerable.Repeat("Longue note de suivi, accents éèà et 😀. ", 400)), // beyond the stack buffers
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_value_sealed_by_the_former_code_opens_and_a_value_sealed_now_opens_with_the_former_code(string text)
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        Assert.Equal(text, cipher.Open(SealedFields.Facts, LegacySeal(Key, "ville", Situation, SealedFields.Facts, text)));
        var sealedNow = cipher.Seal(SealedFields.Facts, text);
        Assert.Equal(text, LegacyOpen(Key, "ville", Situation, SealedFields.Facts, sealedNow));
        Assert.Equal(3 + (12 + System.Text.Encoding.UTF8.GetByteCount(text) + 16 + 2) / 3 * 4, sealedNow.Value.Length);
        // The associated data is unchanged: the former code does not open it under another field.
        Assert.ThrowsAny<CryptographicException>(() => LegacyOpen(Key, "ville", Situation, SealedFields.ClosureComment, sealedNow));
    }

    [Fact]
    public void A_json_value_sealed_by_the_former_code_opens_and_one_sealed_now_holds_the_same_json()
    {
        var identity = new { lastName = "Dupont", firstName = "Zoé", birthDate = "2013-04-02" };
        var json = System.Text.Json.JsonSerializer.Serialize(identity, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        var cipher = new SituationCipher(Key, "ville", Situation);
        var opened = cipher.OpenJson<System.Text.Json.JsonElement>(SealedFields.PersonIdentity, LegacySeal(Key, "ville", Situation, SealedFields.PersonIdentity, json));
        Assert.Equal("Zoé", opened.GetProperty("firstName").GetString());
        Assert.Equal(json, LegacyOpen(Key, "ville", Situation, SealedFields.PersonIdentity, cipher.SealJson(SealedFields.PersonIdentity, identity)));
    }

    [Fact]
    public void Every_value_gets_its_own_random_nonce_with_one_reused_context()
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        var nonces = Enumerable.Range(0, 2_000)
            .Select(_ => Convert.ToHexString(Convert.FromBase64String(cipher.Seal(SealedFields.Facts, "même texte").Value[3..]).AsSpan(0, 12)))
            .ToHashSet();
        Assert.Equal(2_000, nonces.Count);
    }

    [Fact]
    public void One_cipher_used_by_many_threads_at_once_seals_and_opens_every_value()
    {
        var cipher = new SituationCipher(Key, "ville", Situation);
        var failures = 0;
        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var text = $"valeur {i} " + new string('x', i % 1_500);
            var field = i % 2 == 0 ? SealedFields.Facts : SealedFields.FollowUpNote;
            if (cipher.Open(field, cipher.Seal(field, text)) != text) Interlocked.Increment(ref failures);
            if (i % 500 == 0) cipher.Release(); // the key cache letting the context go while others use the cipher
        });
        Assert.Equal(0, failures);
    }
}
