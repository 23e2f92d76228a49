using System.Buffers;
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
    // Values up to this many bytes are sealed and opened in stack buffers; longer ones in pooled arrays (zeroed after use).
    private const int StackLimit = 1024;

    private readonly byte[] _key;
    private readonly string _council;
    private readonly Guid _situationId;
    // "caseexchange/v1/{council}/{situation:N}/": the associated data of every field of this situation, less the field.
    private readonly byte[] _associatedPrefix;
    // One OpenSSL context per cipher, made on first use and reused by every value sealed or opened with it (the cipher is
    // what the key cache keeps). AesGcm is not safe for concurrent use: the lock serialises the (sub-microsecond) calls.
    private readonly Lock _gate = new();
    private AesGcm? _aes;

    public SituationCipher(byte[] key, string council, Guid situationId)
    {
        if (key.Length != 32) throw new ArgumentException("A situation key is 32 bytes.", nameof(key));
        _key = key;
        _council = council;
        _situationId = situationId;
        _associatedPrefix = Encoding.UTF8.GetBytes($"caseexchange/v1/{council}/{situationId:N}/");
    }

    public Guid SituationId => _situationId;

    public SealedText Seal(string field, string plaintext)
    {
        var length = Encoding.UTF8.GetByteCount(plaintext);
        byte[]? rented = null;
        var plain = (length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length)))[..length];
        try
        {
            Encoding.UTF8.GetBytes(plaintext, plain);
            return SealBytes(field, plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public string Open(string field, SealedText sealedText)
    {
        byte[]? rented = null;
        var buffer = PlainBuffer(sealedText, ref rented);
        try
        {
            var plain = OpenBytes(field, sealedText, buffer);
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // The same bytes as serialising to a string and encoding it in UTF-8, without the string.
    public SealedText SealJson<T>(string field, T value)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, SealedJson.Options);
        try
        {
            return SealBytes(field, json);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }

    public T OpenJson<T>(string field, SealedText sealedText)
    {
        byte[]? rented = null;
        var buffer = PlainBuffer(sealedText, ref rented);
        try
        {
            return JsonSerializer.Deserialize<T>(OpenBytes(field, sealedText, buffer), SealedJson.Options)
                   ?? throw new CryptographicException("Sealed value holds no content.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

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

    /// <summary>Frees the OpenSSL context (the key cache calls it when it lets the cipher go); a later use makes a new one.</summary>
    internal void Release()
    {
        lock (_gate)
        {
            _aes?.Dispose();
            _aes = null;
        }
    }

    /// <summary>"v1:" + base64(nonce[12] | ciphertext | tag[16]), a fresh random nonce per value.</summary>
    private SealedText SealBytes(string field, ReadOnlySpan<byte> plain)
    {
        var sealedLength = NonceSize + plain.Length + TagSize;
        var textLength = FormatPrefix.Length + (sealedLength + 2) / 3 * 4;
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        var output = (sealedLength <= StackLimit ? stackalloc byte[StackLimit] : (rentedBytes = ArrayPool<byte>.Shared.Rent(sealedLength)))[..sealedLength];
        var text = (textLength <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(textLength)))[..textLength];
        Span<byte> associated = stackalloc byte[AssociatedLength(field)];
        try
        {
            var nonce = output[..NonceSize];
            RandomNumberGenerator.Fill(nonce);
            WriteAssociatedData(field, associated);
            lock (_gate)
                Aes().Encrypt(nonce, plain, output.Slice(NonceSize, plain.Length), output[(NonceSize + plain.Length)..], associated);
            FormatPrefix.CopyTo(text);
            if (!Convert.TryToBase64Chars(output, text[FormatPrefix.Length..], out var written) || FormatPrefix.Length + written != textLength)
                throw new CryptographicException("Sealed value could not be encoded.");
            return new SealedText(new string(text));
        }
        finally
        {
            if (rentedBytes is not null) ArrayPool<byte>.Shared.Return(rentedBytes);
            if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
        }
    }

    /// <summary>A buffer at least as long as the sealed value's decoded bytes (base64 decodes to at most 3 bytes per 4 characters).</summary>
    private static Span<byte> PlainBuffer(SealedText sealedText, ref byte[]? rented)
    {
        var length = Math.Max(0, (sealedText.Value.Length - FormatPrefix.Length) / 4 * 3);
        rented = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        return rented.AsSpan(0, length);
    }

    /// <summary>Decodes and opens into <paramref name="buffer"/>: the clear bytes, which the caller zeroes.</summary>
    private Span<byte> OpenBytes(string field, SealedText sealedText, Span<byte> buffer)
    {
        if (!sealedText.Value.StartsWith(FormatPrefix, StringComparison.Ordinal))
            throw new CryptographicException("Unknown sealed format.");
        var chars = sealedText.Value.AsSpan(FormatPrefix.Length);
        byte[]? rented = null;
        var input = (chars.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(chars.Length)));
        try
        {
            if (!Convert.TryFromBase64Chars(chars, input, out var length))
                throw new CryptographicException("Sealed value is not base64.");
            if (length < NonceSize + TagSize) throw new CryptographicException("Sealed value too short.");
            var cipherLength = length - NonceSize - TagSize;
            var plain = buffer[..cipherLength];
            Span<byte> associated = stackalloc byte[AssociatedLength(field)];
            WriteAssociatedData(field, associated);
            lock (_gate)
                Aes().Decrypt(input[..NonceSize], input.Slice(NonceSize, cipherLength), input.Slice(NonceSize + cipherLength, TagSize), plain, associated);
            return plain;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private AesGcm Aes() => _aes ??= new AesGcm(_key, TagSize);

    private int AssociatedLength(string field) => _associatedPrefix.Length + Encoding.UTF8.GetByteCount(field);

    private void WriteAssociatedData(string field, Span<byte> destination)
    {
        _associatedPrefix.CopyTo(destination);
        Encoding.UTF8.GetBytes(field, destination[_associatedPrefix.Length..]);
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
