using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CaseExchange.Protection;

public sealed class ProtectionOptions
{
    public const string Section = "Protection";

    /// <summary>PKCS#12 file (certificate and private key) that encrypts the Data Protection key ring at rest.
    /// Held outside the database: a dump without it decrypts nothing.</summary>
    public string? KeyRingCertificatePath { get; set; }

    /// <summary>Password of that file, or a file holding it (e.g. a systemd credential).</summary>
    public string? KeyRingCertificatePassword { get; set; }
    public string? KeyRingCertificatePasswordFile { get; set; }
}

/// <summary>The key ring certificate: for the other keys held outside the database (the journal's checkpoint key) and the rotation command.</summary>
public sealed record KeyRingCertificate(X509Certificate2 Certificate);

/// <summary>
/// ASP.NET Core Data Protection, with its key ring kept in PostgreSQL (shared by every service node) and
/// encrypted by a certificate that is not in the database.
/// </summary>
public static class KeyRing
{
    public const string ApplicationName = "CaseExchange";

    internal static X509Certificate2 LoadOrCreateCertificate(ProtectionOptions options, IWebHostEnvironment environment)
    {
        var path = options.KeyRingCertificatePath;
        var password = options.KeyRingCertificatePasswordFile is { Length: > 0 } passwordFile
            ? File.ReadAllText(passwordFile).Trim()
            : options.KeyRingCertificatePassword;

        if (string.IsNullOrWhiteSpace(path))
        {
            if (environment.IsProduction())
                throw new InvalidOperationException(
                    "Protection:KeyRingCertificatePath is required in Production: the key ring must be protected by a " +
                    "certificate held outside the database (see deploy/README.md).");
            path = Path.Combine(environment.ContentRootPath, ".data", "keys", "keyring-protection.pfx");
        }

        if (!File.Exists(path))
        {
            if (environment.IsProduction())
                throw new InvalidOperationException($"The key ring certificate {path} does not exist.");
            CreateDevelopmentCertificate(path);
            password = null;
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
    }

    /// <summary>Outside Production only: a self-signed certificate, created once, readable by its owner only.</summary>
    public static void CreateDevelopmentCertificate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=CaseExchange key ring (development)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

/// <summary>
/// The Data Protection key ring in one PostgreSQL table, so that every node of a deployment shares it.
/// The XML it stores is already encrypted by the key ring certificate.
/// </summary>
public sealed class PostgresXmlRepository(string connectionString) : IXmlRepository
{
    public const string Table = "caseexchange.data_protection_keys";

    public string ConnectionString => connectionString;
    private volatile bool _tableReady;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureTable();
        using var connection = Open();
        using var command = new NpgsqlCommand($"select xml from {Table} order by created_at", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        EnsureTable();
        using var connection = Open();
        using var command = new NpgsqlCommand(
            $"insert into {Table} (friendly_name, xml) values ($1, $2) on conflict (friendly_name) do nothing", connection)
        {
            Parameters = { new() { Value = friendlyName }, new() { Value = element.ToString(SaveOptions.DisableFormatting) } },
        };
        command.ExecuteNonQuery();
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    private void EnsureTable()
    {
        if (_tableReady) return;
        using var connection = Open();
        using var command = new NpgsqlCommand(
            $"create schema if not exists caseexchange; " +
            $"create table if not exists {Table} (friendly_name text primary key, xml text not null, created_at timestamptz not null default now())",
            connection);
        command.ExecuteNonQuery();
        _tableReady = true;
    }
}
