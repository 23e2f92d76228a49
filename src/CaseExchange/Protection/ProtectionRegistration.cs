using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CaseExchange.Protection;

public static class ProtectionRegistration
{
    /// <summary>The key ring (protected by a certificate held outside the database), the situation keys, the identity index and the vault reader.</summary>
    public static void AddCaseExchangeProtection(this WebApplicationBuilder builder, string connectionString)
    {
        var options = builder.Configuration.GetSection(ProtectionOptions.Section).Get<ProtectionOptions>() ?? new ProtectionOptions();
        var certificate = KeyRing.LoadOrCreateCertificate(options, builder.Environment);

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton(new KeyRingCertificate(certificate));
        builder.Services.AddSingleton<SituationKeys>();
        builder.Services.AddSingleton<CompteRenduKeys>();
        builder.Services.AddSingleton<IdentityIndex>();
        builder.Services.AddHostedService<IdentityIndexBackfill>();
        builder.Services.AddSingleton<VaultReader>();
        builder.Services.AddHostedService<SituationKeyMigration>();
        builder.Services.AddSingleton(new PostgresXmlRepository(connectionString));
        builder.Services.AddDataProtection()
            .SetApplicationName(KeyRing.ApplicationName)
            .ProtectKeysWithCertificate(certificate)
            // On Linux the certificate is not found in a store by thumbprint: give it for decryption too.
            .UnprotectKeysWithAnyCertificate(certificate);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresXmlRepository>((o, repository) => o.XmlRepository = repository);
    }
}
