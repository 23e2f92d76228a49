using System.Text.Json;
using CaseExchange.Http;
using CaseExchange.Journal.Verification;
using CaseExchange.Protection;
using CaseExchange.Retention;
using CaseExchange.Retention.Ledger;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CaseExchange.Tests.Retention;

public sealed class ErasureLedgerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"caseexchange-ledger-{Guid.NewGuid():N}");

    private ErasureLedger Ledger() =>
        new(Options.Create(new ErasureLedgerOptions { Directory = _folder }), NullLogger<ErasureLedger>.Instance);

    private Dictionary<string, string?> Settings => new() { ["ErasureLedger:Directory"] = _folder };

    private async Task<ErasureLedger> LedgerOfThreeAsync()
    {
        var ledger = Ledger();
        foreach (var i in Enumerable.Range(1, 3))
            Assert.True(await ledger.AppendAsync("nord", Guid.NewGuid(), $"S-2026-000{i}", ErasureCauses.RetentionPeriodEnded, null,
                DateTimeOffset.UtcNow, TestContext.Current.CancellationToken));
        return ledger;
    }

    [Fact]
    public async Task The_ledger_is_a_verifiable_chain_that_lists_a_situation_once()
    {
        var ledger = await LedgerOfThreeAsync();
        var first = (await ledger.ReadAsync(TestContext.Current.CancellationToken)).Entries[0];
        Assert.False(await ledger.AppendAsync("nord", first.SituationId, first.Pseudonym, first.Cause, null, DateTimeOffset.UtcNow,
            TestContext.Current.CancellationToken));

        var report = await ledger.ReadAsync(TestContext.Current.CancellationToken);
        Assert.True(report.Intact, report.Describe());
        Assert.Equal([1L, 2, 3], report.Entries.Select(e => e.Sequence));
        Assert.Equal(ErasureLedgerEntry.Genesis, report.Entries[0].Previous);
        Assert.Equal(report.Entries[1].Hash, report.Entries[2].Previous);
    }

    [Fact]
    public async Task An_altered_line_is_reported_with_its_line_number()
    {
        var ledger = await LedgerOfThreeAsync();
        var lines = await File.ReadAllLinesAsync(ledger.Path, TestContext.Current.CancellationToken);
        lines[1] = lines[1].Replace(ErasureCauses.RetentionPeriodEnded, ErasureCauses.AgeLimitReached);
        await File.WriteAllLinesAsync(ledger.Path, lines, TestContext.Current.CancellationToken);

        var report = await ledger.ReadAsync(TestContext.Current.CancellationToken);
        Assert.False(report.Intact);
        Assert.Equal(2, Assert.Single(report.Breaks).Line);
        Assert.Contains("altered", report.Describe());
    }

    [Fact]
    public async Task A_removed_line_is_reported_where_the_chain_breaks()
    {
        var ledger = await LedgerOfThreeAsync();
        var lines = (await File.ReadAllLinesAsync(ledger.Path, TestContext.Current.CancellationToken)).ToList();
        lines.RemoveAt(1);
        await File.WriteAllLinesAsync(ledger.Path, lines, TestContext.Current.CancellationToken);

        var report = await ledger.ReadAsync(TestContext.Current.CancellationToken);
        Assert.False(report.Intact);
        Assert.Equal(2, Assert.Single(report.Breaks).Line);
        Assert.Contains("removed", report.Describe());
    }

    [Fact]
    public async Task The_operator_command_names_the_broken_line_and_fails()
    {
        var ledger = await LedgerOfThreeAsync();
        var output = new StringWriter();
        Assert.True(await ErasureLedgerVerb.RunAsync(ledger, () => throw new InvalidOperationException(), "verify", null, output, TextWriter.Null));
        Assert.Contains("INTACT", output.ToString());

        var lines = await File.ReadAllLinesAsync(ledger.Path, TestContext.Current.CancellationToken);
        lines[2] = lines[2].Replace("S-2026-0003", "S-2026-0009");
        await File.WriteAllLinesAsync(ledger.Path, lines, TestContext.Current.CancellationToken);
        output = new StringWriter();
        Assert.False(await ErasureLedgerVerb.RunAsync(ledger, () => throw new InvalidOperationException(), "verify", null, output, TextWriter.Null));
        Assert.Contains("BROKEN", output.ToString());
        Assert.Contains("line 3", output.ToString());
        Assert.False(await ErasureLedgerVerb.RunAsync(ledger, () => throw new InvalidOperationException(), "export",
            Path.Combine(_folder, "copie.jsonl"), TextWriter.Null, TextWriter.Null));
    }

    [Fact]
    public async Task A_broken_ledger_is_not_exported()
    {
        var ledger = await LedgerOfThreeAsync();
        var copy = Path.Combine(_folder, "copie.jsonl");
        Assert.True((await ledger.ExportAsync(copy, TestContext.Current.CancellationToken)).Intact);
        Assert.Equal(await File.ReadAllTextAsync(ledger.Path, TestContext.Current.CancellationToken),
            await File.ReadAllTextAsync(copy, TestContext.Current.CancellationToken));

        var lines = (await File.ReadAllLinesAsync(ledger.Path, TestContext.Current.CancellationToken)).ToList();
        lines.RemoveAt(0);
        await File.WriteAllLinesAsync(ledger.Path, lines, TestContext.Current.CancellationToken);
        File.Delete(copy);
        Assert.False((await ledger.ExportAsync(copy, TestContext.Current.CancellationToken)).Intact);
        Assert.False(File.Exists(copy));
    }

    /// <summary>
    /// Back up (a copy of the database), erase, restore the copy, start the service with the ledger: the erased situation
    /// is erased again before anyone can read it, and nothing of it can be decrypted; the other situation is untouched.
    /// </summary>
    [Fact]
    public async Task A_database_restored_from_before_an_erasure_is_erased_again_at_start()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var postgres = await TestPostgres.GetAsync();
        var live = await postgres.CreateDatabaseAsync("ledger");
        var person = TestPerson.Distinctive("Grandlivre");
        TestCouncil council;
        Guid erased, kept;
        await using (var before = await TestService.StartAsync(live, settings: Settings))
        {
            council = await TestCouncil.CreateAsync(before, "grandlivre");
            (erased, _) = await council.ReferAsync(before, person, "Faits effacés ensuite");
            (kept, _) = await council.ReferAsync(before, TestPerson.Distinctive("Conserve"), "Faits conservés");
        }
        var backup = await CopyDatabaseAsync(postgres, live, cancellation);

        await using (var service = await TestService.StartAsync(live, settings: Settings))
        {
            await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{erased}/erasure-orders",
                new { reason = "droit-a-l-effacement" });
        }
        var ledgerText = await File.ReadAllTextAsync(Ledger().Path, cancellation);
        Assert.Contains(erased.ToString(), ledgerText);
        Assert.All(person.Leakables(), value => Assert.DoesNotContain(value, ledgerText, StringComparison.OrdinalIgnoreCase));

        // The restored copy still holds the wrapped key: without the ledger, the data would come back.
        Assert.True(await KeyExistsAsync(backup, council.Code, erased, cancellation));

        await using var restored = await TestService.StartAsync(backup, settings: Settings);
        Assert.False(await KeyExistsAsync(backup, council.Code, erased, cancellation));
        var replay = restored.Services.GetRequiredService<ErasureLedgerReplay>().LastReport!;
        Assert.Equal((1, 1, 0, true), (replay.Listed, replay.ErasedAgain, replay.AddedToLedger, replay.LedgerIntact));

        var refused = await Answers.ProblemAsync(await restored.OpenFileAsync(council, council.MemberOfHoldingGroup, erased), 403);
        Assert.Contains("donnees-effacees", refused.GetProperty("type").GetString());
        await using (var session = restored.Store.QuerySession(council.Code))
        {
            Assert.True((await session.LoadAsync<Situation>(erased, cancellation))!.IsErased);
            var keys = restored.Services.GetRequiredService<SituationKeys>();
            keys.Forget(council.Code, erased);
            var gone = await Assert.ThrowsAsync<ProblemException>(() => keys.UnwrapAsync(session, erased, cancellation));
            Assert.Equal(410, gone.Problem.Status);
        }
        await Answers.ExpectAsync(await restored.OpenFileAsync(council, council.MemberOfHoldingGroup, kept), 200);
        Assert.True((await restored.Services.GetRequiredService<JournalVerifier>().VerifyAsync(council.Code, cancellation)).Intact);
        // Erased again, the situation is not listed twice.
        Assert.True((await Ledger().ReadAsync(cancellation)) is { Intact: true, Entries.Count: 1 });
    }

    [Fact]
    public async Task An_erasure_by_the_retention_sweep_is_written_to_the_ledger_too()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("ledgersweep");
        var start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        await using var service = await TestService.StartAsync(database, clock,
            new Dictionary<string, string?>(Settings) { ["Retention:Enabled"] = "false" });
        var council = await TestCouncil.CreateAsync(service, "balayage");
        var closed = await new SituationSteps(service, council).ClosedAsync();

        clock.SetUtcNow(start.AddYears(3).AddHours(1));
        Assert.Equal(1, (await service.Services.GetRequiredService<RetentionSweeper>().SweepAsync(cancellation)).Erased);

        var entry = Assert.Single((await Ledger().ReadAsync(cancellation)).Entries);
        Assert.Equal(("balayage", closed, ErasureCauses.RetentionPeriodEnded), (entry.Council, entry.SituationId, entry.Cause));
        Assert.Equal(start.AddYears(3).AddHours(1), entry.ErasedAt);
    }

    [Fact]
    public async Task An_erasure_missing_from_the_ledger_is_added_at_start()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var postgres = await TestPostgres.GetAsync();
        var database = await postgres.CreateDatabaseAsync("ledgergap");
        Guid erased;
        await using (var withoutLedger = await TestService.StartAsync(database))
        {
            var council = await TestCouncil.CreateAsync(withoutLedger, "trou");
            (erased, _) = await council.ReferAsync(withoutLedger, TestPerson.Distinctive("Trou"), "Faits");
            await withoutLedger.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{erased}/erasure-orders",
                new { reason = "droit-a-l-effacement" });
        }
        Assert.False(File.Exists(Ledger().Path));

        await using var withLedger = await TestService.StartAsync(database, settings: Settings);
        var entry = Assert.Single((await Ledger().ReadAsync(cancellation)).Entries);
        Assert.Equal(("trou", erased, ErasureCauses.ErasureOrder), (entry.Council, entry.SituationId, entry.Cause));
    }

    private static async Task<string> CopyDatabaseAsync(TestPostgres postgres, string source, CancellationToken cancellation)
    {
        var name = new NpgsqlConnectionStringBuilder(source).Database!;
        var copy = await postgres.CreateDatabaseAsync("ledgercopy");
        var copyName = new NpgsqlConnectionStringBuilder(copy).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(source) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellation);
        foreach (var sql in new[]
                 {
                     $"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}' and pid <> pg_backend_pid()",
                     $"drop database \"{copyName}\"",
                     $"create database \"{copyName}\" template \"{name}\"",
                 })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellation);
        }
        return copy;
    }

    private static async Task<bool> KeyExistsAsync(string connectionString, string council, Guid situation, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand("select count(*) from caseexchange.situation_keys where council = $1 and situation_id = $2", connection)
        {
            Parameters = { new() { Value = council }, new() { Value = situation } },
        };
        return (long)(await command.ExecuteScalarAsync(cancellation))! > 0;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
