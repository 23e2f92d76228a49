using System.Diagnostics;
using System.Text.Json;
using CaseExchange.Journal.Verification;
using CaseExchange.Retention.Ledger;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Retention;

/// <summary>
/// A production server's life until the drill: WAL archived to a folder (archive_command), a base backup
/// (pg_basebackup), then more work — a new referral and an erasure order — archived, then the server is lost.
/// </summary>
public sealed class BackupDrillFixture : IAsyncLifetime
{
    public string Root { get; } = PostgresNode.NewRoot("drill");
    public string Archive => Path.Combine(Root, "wal-archive");
    public string Backup => Path.Combine(Root, "base-backup");
    public string LedgerFolder => Path.Combine(Root, "erasure-ledger");
    public PostgresNode Primary { get; private set; } = null!;
    public List<PostgresNode> Restored { get; } = [];
    public TestCouncil Council { get; private set; } = null!;
    public TestPerson Kept { get; } = TestPerson.Distinctive("Sauvegarde");
    public TestPerson Erased { get; } = TestPerson.Distinctive("Effacee");
    public TestPerson Later { get; } = TestPerson.Distinctive("Posterieure");
    public Guid KeptId { get; private set; }
    public Guid ErasedId { get; private set; }
    public Guid LaterId { get; private set; }
    public TimeSpan BackupTime { get; private set; }

    public Dictionary<string, string?> Settings => new() { ["ErasureLedger:Directory"] = LedgerFolder };

    public static string ServiceConnectionString(PostgresNode node) =>
        $"Host=127.0.0.1;Port={node.Port};Username=postgres;Password={node.Password};Database=caseexchange";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Archive);
        Primary = await PostgresNode.StartPrimaryAsync(Root, "production",
            ["archive_mode = on", $"archive_command = 'test ! -f {Archive}/%f && cp %p {Archive}/%f'"]);
        await Primary.ExecuteAsync("create database caseexchange");

        var service = await TestService.StartAsync(ServiceConnectionString(Primary), settings: Settings);
        try
        {
            await LiveAsync(service);
        }
        finally
        {
            await service.DisposeAsync();
        }
        // The server is lost; what remains is the base backup, the WAL archive, the ledger and the certificate.
        await Primary.StopAsync("immediate");
    }

    private async Task LiveAsync(TestService service)
    {
        Council = await TestCouncil.CreateAsync(service, "sauvegarde");
        (KeptId, _) = await Council.ReferAsync(service, Kept, "Faits sauvegardés");
        (ErasedId, _) = await Council.ReferAsync(service, Erased, "Faits effacés après la sauvegarde");
        await Answers.ExpectAsync(await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, KeptId), 200);

        var watch = Stopwatch.StartNew();
        await Primary.BaseBackupAsync(Backup, writeRecoveryConfiguration: false);
        BackupTime = watch.Elapsed;

        (LaterId, _) = await Council.ReferAsync(service, Later, "Faits postérieurs à la sauvegarde");
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{ErasedId}/erasure-orders",
            new { reason = "droit-a-l-effacement" });
        var segment = (string)(await Primary.ScalarAsync("select pg_walfile_name(pg_switch_wal())"))!;
        await Primary.WaitUntilAsync($"select last_archived_wal >= '{segment}' from pg_stat_archiver", TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync() => await PostgresNode.DisposeAllAsync(Root, [.. Restored, Primary]);
}

/// <summary>
/// The backup and restore drill of deploy/README.md: the service starts on a restored cluster with the key ring
/// certificate, the journal verifies, and an erasure made after the backup is not undone by the restore.
/// </summary>
public sealed class BackupRestoreDrillTests(BackupDrillFixture drill, ITestOutputHelper output) : IClassFixture<BackupDrillFixture>
{
    private TestCouncil Council => drill.Council;

    [Fact]
    public async Task The_base_backup_and_the_WAL_archive_restore_every_write_up_to_the_last_archived_segment()
    {
        var watch = Stopwatch.StartNew();
        var node = await PostgresNode.RestoreAsync(drill.Primary, drill.Backup, "restored-pitr", drill.Archive);
        drill.Restored.Add(node);
        var restoreTime = watch.Elapsed;
        watch.Restart();
        await using var service = await TestService.StartAsync(BackupDrillFixture.ServiceConnectionString(node), settings: drill.Settings);
        var startTime = watch.Elapsed;

        var later = await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, drill.LaterId);
        await Answers.ExpectAsync(later, 200);
        Assert.Contains(drill.Later.Nom, await later.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await Answers.ExpectAsync(await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, drill.KeptId), 200);
        var erased = await Answers.ProblemAsync(await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, drill.ErasedId), 403);
        Assert.Contains("donnees-effacees", erased.GetProperty("type").GetString());

        var report = await service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code, TestContext.Current.CancellationToken);
        Assert.True(report.Intact, JournalVerifyVerb.Describe(report));
        output.WriteLine($"Drill (base backup + WAL archive): backup {drill.BackupTime.TotalSeconds:F1} s, restore and recovery {restoreTime.TotalSeconds:F1} s, " +
                         $"service ready {startTime.TotalSeconds:F1} s; journal: {report.EntryCount} entries, intact");
    }

    [Fact]
    public async Task A_restore_of_the_backup_alone_does_not_bring_back_the_situation_erased_after_it()
    {
        var watch = Stopwatch.StartNew();
        var node = await PostgresNode.RestoreAsync(drill.Primary, drill.Backup, "restored-base", walArchive: null);
        drill.Restored.Add(node);
        var restoreTime = watch.Elapsed;
        // The backup predates the erasure: its database still holds the wrapped key.
        Assert.True(await KeyExistsAsync(node, drill.ErasedId));

        watch.Restart();
        await using var service = await TestService.StartAsync(BackupDrillFixture.ServiceConnectionString(node), settings: drill.Settings);
        var startTime = watch.Elapsed;
        Assert.True(service.Services.GetRequiredService<ErasureLedgerReplay>().LastReport is { ErasedAgain: 1, LedgerIntact: true });

        Assert.False(await KeyExistsAsync(node, drill.ErasedId));
        var erased = await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, drill.ErasedId);
        var problem = await Answers.ProblemAsync(erased, 403);
        Assert.Contains("donnees-effacees", problem.GetProperty("type").GetString());
        Assert.DoesNotContain(drill.Erased.Nom, problem.GetRawText());
        await Answers.ExpectAsync(await service.GetAsync(Council.Coordonnateur, $"{Council.Api}/situations/{drill.LaterId}"), 404);
        await Answers.ExpectAsync(await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, drill.KeptId), 200);

        var report = await service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code, TestContext.Current.CancellationToken);
        Assert.True(report.Intact, JournalVerifyVerb.Describe(report));
        output.WriteLine($"Drill (base backup alone, ledger re-applied): restore {restoreTime.TotalSeconds:F1} s, service ready " +
                         $"{startTime.TotalSeconds:F1} s (ledger replay included)");
    }

    private static async Task<bool> KeyExistsAsync(PostgresNode node, Guid situation) =>
        (long)(await node.ScalarAsync($"select count(*) from caseexchange.situation_keys where situation_id = '{situation}'", "caseexchange"))! > 0;
}
