using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Retention;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Protection;

/// <summary>
/// One vault door: sealing is write-only; only <c>Protection/</c> unwraps keys and holds the cipher; the one reader opens
/// a situation only for the receipt of a committed journal entry, which only the journal issues.
/// </summary>
public sealed class VaultDoorArchitectureTests
{
    private static readonly string Source = Path.Combine(RepositoryRoot(), "src", "CaseExchange");

    /// <summary>What only the vault may write: the cipher, key unwrapping, raw AEAD, Data Protection's unprotect, the key table.</summary>
    private static readonly (string Name, Regex Pattern, string[] AllowedIn)[] Rules =
    [
        ("the cipher that opens ciphertext", new(@"\bSituationCipher\b"), ["Protection/"]),
        ("unwrapping a situation key", new(@"\bUnwrapAsync\s*\("), ["Protection/"]),
        ("Data Protection's unprotect", new(@"\.Unprotect\s*\("), ["Protection/"]),
        ("raw authenticated encryption", new(@"\b(AesGcm|AesCcm|ChaCha20Poly1305)\b"), ["Protection/"]),
        ("the key table", new(@"situation_keys|SituationKeyTable\.Name"), ["Protection/"]),
        ("making an opened situation", new(@"new\s+OpenedSituation\s*\("), ["Protection/VaultReader.cs"]),
        ("issuing a journal receipt", new(@"JournalReceipt\.ForCommitted\s*\("), ["Journal/AccessJournal.cs"]),
    ];

    private static IEnumerable<(string Path, string Text)> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Source, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/") && !f.StartsWith("bin/"))
            .Select(f => (f, File.ReadAllText(Path.Combine(Source, f))));

    [Fact]
    public void No_code_outside_Protection_opens_ciphertext_or_unwraps_a_key()
    {
        var files = SourceFiles().ToList();
        var violations = new List<string>();
        foreach (var (name, pattern, allowedIn) in Rules)
        {
            var hits = files.Where(f => pattern.IsMatch(f.Text)).Select(f => f.Path).ToList();
            // The rule names something real: its pattern is found where it is allowed (a misspelt rule would pass vacuously).
            Assert.True(hits.Any(h => allowedIn.Any(h.StartsWith)), $"rule '{name}' matches nothing in {string.Join(", ", allowedIn)}");
            violations.AddRange(hits.Where(h => !allowedIn.Any(h.StartsWith)).Select(h => $"{h}: {name}"));
        }
        Assert.True(violations.Count == 0, "Outside the vault door:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Sealing_is_write_only_and_receipts_and_openings_cannot_be_made_elsewhere()
    {
        // The sealer returns ciphertext only: no method of it gives back a string or takes ciphertext in.
        foreach (var method in typeof(SituationSealer).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            Assert.False(method.GetParameters().Any(p => p.ParameterType == typeof(SealedText)), $"SituationSealer.{method.Name} takes ciphertext");
            Assert.False(method.ReturnType == typeof(string) && method.Name != nameof(ToString), $"SituationSealer.{method.Name} returns text");
        }
        foreach (var type in new[] { typeof(SituationSealer), typeof(OpenedSituation), typeof(JournalReceipt) })
            Assert.Empty(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        // The reader takes a receipt, nothing else that names a situation.
        var open = typeof(VaultReader).GetMethod(nameof(VaultReader.OpenAsync))!;
        Assert.Contains(open.GetParameters(), p => p.ParameterType == typeof(JournalReceipt));
        Assert.DoesNotContain(open.GetParameters(), p => p.ParameterType == typeof(Guid));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CaseExchange.sln"))) return directory.FullName;
        throw new InvalidOperationException("CaseExchange.sln not found above the test binaries.");
    }
}

/// <summary>Server-side decryptions that return nothing are journalled too: who asked (or the service itself), which check.</summary>
public sealed class ServerChecksAreJournalledTests(CouncilFixture fixture) : IClassFixture<CouncilFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private async Task<IReadOnlyList<JsonElement>> ChecksOfAsync(string pseudonym)
    {
        var page = await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym={pseudonym}&pageSize=200");
        return [.. page.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("action").GetString() == JournalActions.ServerCheck)];
    }

    [Fact]
    public async Task An_erasure_reference_is_checked_by_the_identity_index_without_decrypting_and_a_naming_one_is_refused_and_journalled()
    {
        var person = TestPerson.Distinctive("Reference");
        var (id, pseudonym) = await Council.ReferAsync(Service, person, "Faits fictifs");

        var refused = await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{id}/erasure-orders",
            new { reason = "decision-de-justice", reference = $"Jugement {person.Nom} 2026" });
        await Answers.ProblemAsync(refused, 400);
        var entries = (await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym={pseudonym}&pageSize=200"))
            .GetProperty("items").EnumerateArray().ToList();
        var refusal = Assert.Single(entries, e => e.GetProperty("action").GetString() == JournalActions.IdentifyingTextRefused);
        Assert.Equal(Council.Id(Council.Coordonnateur), refusal.GetProperty("memberId").GetGuid());
        Assert.False(refusal.GetProperty("granted").GetBoolean());

        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}/erasure-orders",
            new { reason = "decision-de-justice", reference = "Jugement TJ 2026/123" });
        // The index answered both checks: no situation was decrypted for them.
        Assert.Empty(await ChecksOfAsync(pseudonym));
    }

    [Fact]
    public async Task The_retention_sweep_journals_its_decryption_of_birth_dates_as_the_service()
    {
        var (_, pseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("Balayage"), "Faits fictifs");
        await Service.Services.GetRequiredService<RetentionSweeper>().SweepAsync(TestContext.Current.CancellationToken);

        var checks = await ChecksOfAsync(pseudonym);
        Assert.NotEmpty(checks);
        Assert.All(checks, check =>
        {
            Assert.Equal(JournalActions.Checks.RetentionDate, check.GetProperty("purpose").GetString());
            Assert.Equal(JournalActions.SystemSubject, check.GetProperty("subject").GetString());
            Assert.Equal(JsonValueKind.Null, check.GetProperty("memberId").ValueKind);
        });
    }
}
