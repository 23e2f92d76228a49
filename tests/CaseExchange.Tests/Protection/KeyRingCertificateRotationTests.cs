using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Journal.Verification;
using CaseExchange.Protection;
using Microsoft.Extensions.DependencyInjection;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;

namespace CaseExchange.Tests.Protection;

/// <summary>The operator replaces the certificate that protects the key ring (keyring-rotate) without losing a situation.</summary>
public sealed class KeyRingCertificateRotationTests
{
    private static Dictionary<string, string?> With(string certificate) => new() { ["Protection:KeyRingCertificatePath"] = certificate };

    private static X509Certificate2 Load(string path) => X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.EphemeralKeySet);

    [Fact]
    public async Task After_rotation_the_new_certificate_alone_reads_every_situation_and_the_old_one_is_retired()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("certrotation");
        var (oldCertificate, newCertificate) = (TestSecrets.CreateOtherCertificate(), TestSecrets.CreateOtherCertificate());
        TestCouncil council;
        Guid id;
        await using (var before = await TestService.StartAsync(database, settings: With(oldCertificate)))
        {
            council = await TestCouncil.CreateAsync(before, "certrotation");
            id = (await council.ReferAsync(before, TestPerson.Distinctive("Rotation"), "Faits d'avant le changement de certificat")).Id;
            await before.OpenFileAsync(council, council.MemberOfHoldingGroup, id);
            // A checkpoint sealed with the key derived from the old certificate.
            Assert.NotEmpty(await before.Services.GetRequiredService<JournalSealer>().SealAsync(council.Code, TestContext.Current.CancellationToken));
        }

        var retiredKey = newCertificate + ".journal-checkpoint-key-retired";
        using (var current = Load(oldCertificate))
        using (var next = Load(newCertificate))
        {
            Assert.True(await KeyRingRotation.RotateAsync(database, current, next) >= 1);
            Assert.True(await KeyRingRotation.KeepRetiredCheckpointKeyAsync(new JournalOptions(), new KeyRingCertificate(current), retiredKey));
        }

        // Without the retired key, the old checkpoints cannot be authenticated any more: the verifier says so.
        await using (var withoutRetiredKey = await TestService.StartAsync(database, settings: With(newCertificate)))
            Assert.False((await withoutRetiredKey.Services.GetRequiredService<JournalVerifier>().VerifyAsync(council.Code, TestContext.Current.CancellationToken)).Intact);

        var withRetiredKey = new Dictionary<string, string?>(With(newCertificate)) { ["Journal:RetiredCheckpointKeyFiles:0"] = retiredKey };
        await using (var after = await TestService.StartAsync(database, settings: withRetiredKey))
        {
            Assert.True((await after.Services.GetRequiredService<JournalVerifier>().VerifyAsync(council.Code, TestContext.Current.CancellationToken)).Intact);
            var file = await after.PostJsonAsync<JsonElement>(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" });
            Assert.Equal("Faits d'avant le changement de certificat", file.GetProperty("facts").GetString());
            // New situations too, under the new certificate.
            var newer = (await council.ReferAsync(after, TestPerson.Distinctive("Apres"), "Faits d'après")).Id;
            Assert.NotEqual(id, newer);
        }

        // The old certificate no longer opens the ring: it can be retired.
        await using var retired = await TestService.StartAsync(database, settings: With(oldCertificate));
        var refused = await retired.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" });
        var problem = await Answers.ProblemAsync(refused, 503);
        Assert.Equal(ProtectionProblemTypes.KeyRingUnavailable, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_rotation_with_a_certificate_that_cannot_open_the_ring_changes_nothing()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("certrefus");
        var (inUse, stranger, next) = (TestSecrets.CreateOtherCertificate(), TestSecrets.CreateOtherCertificate(), TestSecrets.CreateOtherCertificate());
        await using (var service = await TestService.StartAsync(database, settings: With(inUse)))
            await TestCouncil.CreateAsync(service, "certrefus");
        var before = await RingAsync(database);

        using var wrong = Load(stranger);
        using var target = Load(next);
        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() => KeyRingRotation.RotateAsync(database, wrong, target));
        Assert.Equal(before, await RingAsync(database));
        Assert.NotEmpty(before);
    }

    private static async Task<string> RingAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select coalesce(string_agg(xml, '|' order by friendly_name), '') from {PostgresXmlRepository.Table}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
