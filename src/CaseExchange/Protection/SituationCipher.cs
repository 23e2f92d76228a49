using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CaseExchange.Protection;

/// <summary>
/// AES-256-GCM with one situation's data key. The associated data binds each ciphertext to its council,
/// situation and field, so a sealed value copied into another situation or field does not open.
/// <para>The vault's mechanism, used only inside <c>Protection/</c>: write features get a <see cref="SituationSealer"/>
/// (seal only), and reading goes through <see cref="VaultReader"/> with the receipt of a committed journal entry. An
/// architecture test keeps every other folder away from this type.</para>
/// </summary>
public sealed class SituationCipher
{
    private const string FormatPrefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;
    private readonly string _council;
    private readonly Guid _situationId;

    public SituationCipher(byte[] key, string council, Guid situationId)
    {
        if (key.Length != 32) throw new ArgumentException("A situation key is 32 bytes.", nameof(key));
        _key = key;
        _council = council;
        _situationId = situationId;
    }

    public Guid SituationId => _situationId;

    public SealedText Seal(string field, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), AssociatedData(field));
        CryptographicOperations.ZeroMemory(plain);
        return new SealedText(FormatPrefix + Convert.ToBase64String(output));
    }

    public string Open(string field, SealedText sealedText)
    {
        if (!sealedText.Value.StartsWith(FormatPrefix, StringComparison.Ordinal))
            throw new CryptographicException("Unknown sealed format.");
        var input = Convert.FromBase64String(sealedText.Value[FormatPrefix.Length..]);
        if (input.Length < NonceSize + TagSize) throw new CryptographicException("Sealed value too short.");
        var cipherLength = input.Length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, cipherLength), input.AsSpan(NonceSize + cipherLength), plain, AssociatedData(field));
        return Encoding.UTF8.GetString(plain);
    }

    public SealedText SealJson<T>(string field, T value) => Seal(field, JsonSerializer.Serialize(value, SealedJson.Options));

    public T OpenJson<T>(string field, SealedText sealedText) =>
        JsonSerializer.Deserialize<T>(Open(field, sealedText), SealedJson.Options)
        ?? throw new CryptographicException("Sealed value holds no content.");

    /// <summary>
    /// A keyed one-way fingerprint (HMAC-SHA-256 under a key derived from the situation's key): tells whether a retried
    /// request is the one that created the situation, without storing anything that a dictionary attack could reverse.
    /// Erasing the situation's key makes it meaningless.
    /// </summary>
    public string Fingerprint(string purpose, ReadOnlySpan<byte> data)
    {
        var macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: AssociatedData("fingerprint/" + purpose));
        return Convert.ToBase64String(HMACSHA256.HashData(macKey, data));
    }

    private byte[] AssociatedData(string field) => Encoding.UTF8.GetBytes($"caseexchange/v1/{_council}/{_situationId:N}/{field}");
}

/// <summary>Seal-only: what write features hold. It can turn clear text into ciphertext for one situation, never back.</summary>
public sealed class SituationSealer
{
    private readonly SituationCipher _cipher;

    internal SituationSealer(SituationCipher cipher) => _cipher = cipher;

    public Guid SituationId => _cipher.SituationId;

    public SealedText Seal(string field, string plaintext) => _cipher.Seal(field, plaintext);

    public SealedText SealJson<T>(string field, T value) => _cipher.SealJson(field, value);

    /// <summary>A keyed fingerprint of a request (idempotent retries): comparable, never reversible, never text in clear.</summary>
    public RequestFingerprint Fingerprint(string purpose, ReadOnlySpan<byte> data) => new(_cipher.Fingerprint(purpose, data));

    public override string ToString() => "[sealer]";
}

/// <summary>A keyed MAC of a request under the situation's own key: equal for the same request, meaningless without the key.</summary>
public sealed record RequestFingerprint(string Value);

/// <summary>Names of the sealed fields; part of each ciphertext's associated data, so they never change.</summary>
public static class SealedFields
{
    public const string PersonIdentity = "person.identity";
    public const string Facts = "referral.facts";
    public const string DiscussionSummary = "examination.summary";
    public const string DecisionDetail = "examination.decision";
    public const string ActionDescription = "followup.action";
    public const string FollowUpNote = "followup.note";
    public const string TransferReason = "transfer.reason";
    public const string ClosureComment = "closure.comment";
    public const string ArchiveAccessDetail = "journal.archive-reason";
    public const string IdentityCorrection = "person.identity-correction";
    public const string AddedFact = "situation.added-fact";
}

internal static class SealedJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
