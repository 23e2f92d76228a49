using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CaseExchange.Protection;
using Microsoft.Extensions.Options;

namespace CaseExchange.Journal.Checkpoints;

/// <summary>
/// The key that authenticates journal checkpoints (an HMAC-SHA-256 key). It never lives in the database: it is read
/// from <c>Journal:CheckpointKeyFile</c> (a secret held like the key ring certificate's password), or, when that is
/// not set, derived from the key ring certificate's private key. Someone who can write the database but holds neither
/// cannot produce a checkpoint that verifies.
/// </summary>
public sealed class JournalCheckpointKey
{
    private const string DerivationLabel = "caseexchange/journal-checkpoint-key/v1";
    private readonly byte[] _key;

    public JournalCheckpointKey(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 32) throw new ArgumentException("A journal checkpoint key needs at least 32 bytes of secret.", nameof(secret));
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret.ToArray(), 32, info: Encoding.UTF8.GetBytes(DerivationLabel));
        // A public name of the key, so that a checkpoint says which key sealed it (e.g. after a rotation).
        KeyId = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes("caseexchange/journal-key-id/v1"), .. _key])[..8]);
    }

    public string KeyId { get; }

    public string Mac(string council, JournalHash checkpointHash) => JournalHashing.MacOfCheckpoint(_key, council, checkpointHash);

    /// <summary>True if the MAC was made with this key for this council and checkpoint hash (compared in constant time).</summary>
    public bool Verifies(string council, JournalHash checkpointHash, string? mac) =>
        mac is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(council, checkpointHash)), Encoding.ASCII.GetBytes(mac));

    public static JournalCheckpointKey Create(JournalOptions options, KeyRingCertificate certificate) =>
        options.CheckpointKeyFile is { Length: > 0 } path ? FromFile(path, "Journal:CheckpointKeyFile") : FromCertificate(certificate);

    public static JournalCheckpointKey FromFile(string path, string setting)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"{setting}: the file {path} does not exist.");
        var secret = File.ReadAllBytes(path);
        if (secret.Length < 32)
            throw new InvalidOperationException($"{setting}: the file must hold at least 32 bytes of secret (e.g. openssl rand -base64 48).");
        return new JournalCheckpointKey(secret);
    }

    /// <summary>
    /// From the certificate's private key: an RSA PKCS#1 v1.5 signature of a fixed label is deterministic and needs no
    /// exportable key; other key types use their PKCS#8 form.
    /// </summary>
    public static JournalCheckpointKey FromCertificate(KeyRingCertificate certificate) => new(CertificateSecret(certificate));

    /// <summary>
    /// The secret the certificate-derived key comes from. Written to a file when the certificate is retired
    /// (keyring-rotate), it is a key file like any other: <c>FromFile</c> gives back the same key and key id.
    /// </summary>
    public static byte[] CertificateSecret(KeyRingCertificate certificate)
    {
        using var rsa = certificate.Certificate.GetRSAPrivateKey();
        if (rsa is not null)
            return rsa.SignData(Encoding.UTF8.GetBytes(DerivationLabel), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ecdsa = certificate.Certificate.GetECDsaPrivateKey()
                          ?? throw new InvalidOperationException("The key ring certificate has no usable private key to derive the journal checkpoint key from.");
        return ecdsa.ExportPkcs8PrivateKey();
    }
}

/// <summary>
/// The keys verification accepts, by key id: the current one (which seals) and retired ones, so that checkpoints
/// sealed before a rotation still verify: the files of Journal:RetiredCheckpointKeyFiles and, when the current key
/// comes from a file, the key derived from the key ring certificate (checkpoints sealed before that file was set).
/// </summary>
public sealed class JournalCheckpointKeys(JournalCheckpointKey current, IEnumerable<JournalCheckpointKey> retired)
{
    private readonly Dictionary<string, JournalCheckpointKey> _byId =
        new[] { current }.Concat(retired).DistinctBy(k => k.KeyId).ToDictionary(k => k.KeyId, StringComparer.Ordinal);

    public JournalCheckpointKey Current => current;

    public JournalCheckpointKey? Find(string? keyId) => keyId is null ? null : _byId.GetValueOrDefault(keyId);
}

internal static class JournalCheckpointKeyRegistration
{
    public static void AddJournalCheckpointKey(this IServiceCollection services)
    {
        services.AddSingleton(provider => JournalCheckpointKey.Create(
            provider.GetRequiredService<IOptions<JournalOptions>>().Value, provider.GetRequiredService<KeyRingCertificate>()));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<JournalOptions>>().Value;
            var retired = options.RetiredCheckpointKeyFiles.Select(f => JournalCheckpointKey.FromFile(f, "Journal:RetiredCheckpointKeyFiles")).ToList();
            if (options.CheckpointKeyFile is { Length: > 0 }) retired.Add(JournalCheckpointKey.FromCertificate(provider.GetRequiredService<KeyRingCertificate>()));
            return new JournalCheckpointKeys(provider.GetRequiredService<JournalCheckpointKey>(), retired);
        });
    }
}
