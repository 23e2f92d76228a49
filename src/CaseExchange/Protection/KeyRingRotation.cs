using CaseExchange.Hosting;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using CaseExchange.Http;
using CaseExchange.Journal.Checkpoints;
using Microsoft.Extensions.Options;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Npgsql;

namespace CaseExchange.Protection;

/// <summary>
/// Replaces the certificate that protects the key ring: every key of the ring is decrypted with the certificate in use
/// and encrypted again with the new one, in one transaction. The keys themselves do not change, so every situation key
/// they wrap stays readable; once done, the service runs with the new certificate alone and the old one can be retired.
/// </summary>
public static class KeyRingRotation
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";

    /// <summary>Re-encrypts the ring; returns the number of keys moved to the new certificate.</summary>
    public static async Task<int> RotateAsync(string connectionString, X509Certificate2 current, X509Certificate2 next, CancellationToken cancellation = default)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().UnprotectKeysWithAnyCertificate(current);
        await using var provider = services.BuildServiceProvider();
        var decryptor = new EncryptedXmlDecryptor(provider);
        var encryptor = new CertificateXmlEncryptor(next, provider.GetRequiredService<ILoggerFactory>());

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        var rows = new List<(string Name, string Xml)>();
        await using (var select = new NpgsqlCommand($"select friendly_name, xml from {PostgresXmlRepository.Table} for update", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation)) rows.Add((reader.GetString(0), reader.GetString(1)));

        var moved = 0;
        foreach (var (name, xml) in rows)
        {
            var key = XElement.Parse(xml);
            var secrets = key.Descendants(DataProtection + "encryptedSecret").ToList();
            foreach (var secret in secrets)
            {
                // Throws when the current certificate cannot open it: nothing is written then (one transaction).
                var plain = decryptor.Decrypt(secret.Elements().Single());
                var encrypted = encryptor.Encrypt(plain);
                secret.ReplaceNodes(encrypted.EncryptedElement);
                secret.SetAttributeValue("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName);
            }
            if (secrets.Count == 0) continue;
            await using var update = new NpgsqlCommand($"update {PostgresXmlRepository.Table} set xml = $2 where friendly_name = $1", connection, transaction)
            {
                Parameters = { new() { Value = name }, new() { Value = key.ToString(SaveOptions.DisableFormatting) } },
            };
            await update.ExecuteNonQueryAsync(cancellation);
            moved++;
        }
        await transaction.CommitAsync(cancellation);
        return moved;
    }

    /// <summary>
    /// When the journal's checkpoint key is derived from the key ring certificate (no Journal:CheckpointKeyFile), the
    /// checkpoints sealed so far verify only with the old certificate's key: it is kept in a file (mode 0600, held like
    /// the certificate), for Journal:RetiredCheckpointKeyFiles. Returns false when a key file is configured (nothing to keep).
    /// </summary>
    public static async Task<bool> KeepRetiredCheckpointKeyAsync(JournalOptions journal, KeyRingCertificate current, string path,
        CancellationToken cancellation = default)
    {
        if (journal.CheckpointKeyFile is { Length: > 0 }) return false;
        await File.WriteAllBytesAsync(path, JournalCheckpointKey.CertificateSecret(current), cancellation);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return true;
    }
}

public sealed class KeyRingRotateInput : NetCoreInput
{
    [Description("PKCS#12 file of the new key ring certificate")]
    public string NewCertificate { get; set; } = "";

    [FlagAlias("new-password-file")]
    [Description("File holding the new certificate's password, if it has one")]
    public string? NewPasswordFileFlag { get; set; }

    [FlagAlias("retired-checkpoint-key")]
    [Description("Where to keep the journal checkpoint key derived from the old certificate (default: next to the new certificate)")]
    public string? RetiredCheckpointKeyFlag { get; set; }
}

/// <summary>
/// <c>CaseExchange keyring-rotate /etc/caseexchange/keyring-2027.pfx --new-password-file ...</c>, run with the service's
/// configuration (the certificate in use): moves the key ring to the new certificate. Stop every node first.
/// </summary>
[Description("Move the key ring to a new protection certificate (run with the current configuration, nodes stopped)", Name = "keyring-rotate")]
public sealed class KeyRingRotateVerb : JasperFxAsyncCommand<KeyRingRotateInput>
{
    public KeyRingRotateVerb()
    {
        Usage("Re-encrypt every key of the ring with the new certificate").Arguments(x => x.NewCertificate);
    }

    public override async Task<bool> Execute(KeyRingRotateInput input)
    {
        using var host = input.BuildHost();
        try
        {
            var current = host.Services.GetRequiredService<KeyRingCertificate>().Certificate;
            var password = input.NewPasswordFileFlag is { Length: > 0 } file ? (await File.ReadAllTextAsync(file)).Trim() : null;
            using var next = X509CertificateLoader.LoadPkcs12FromFile(input.NewCertificate, password, X509KeyStorageFlags.EphemeralKeySet);
            var moved = await KeyRingRotation.RotateAsync(host.Services.GetRequiredService<PostgresXmlRepository>().ConnectionString, current, next);
            Console.WriteLine($"{moved} keys of the ring are now protected by {next.Subject} ({next.Thumbprint}). " +
                              "Point Protection__KeyRingCertificatePath at the new certificate on every node, start them, then retire the old one.");
            var retiredKey = input.RetiredCheckpointKeyFlag is { Length: > 0 } flag ? flag : input.NewCertificate + ".journal-checkpoint-key-retired";
            if (await KeyRingRotation.KeepRetiredCheckpointKeyAsync(host.Services.GetRequiredService<IOptions<JournalOptions>>().Value,
                    host.Services.GetRequiredService<KeyRingCertificate>(), retiredKey))
                Console.WriteLine($"The journal's checkpoints sealed so far verify with the old certificate's key, kept in {retiredKey}: " +
                                  "add it to Journal__RetiredCheckpointKeyFiles__0 on every node (and keep it like the certificate).");
            return true;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            Console.Error.WriteLine($"Rotation failed, nothing changed: {e.GetType().Name}");
            return false;
        }
        finally
        {
            if (host.Services.GetService<EmbeddedPostgres>() is { } embedded) await embedded.DisposeAsync();
        }
    }
}
