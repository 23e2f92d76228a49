using CaseExchange.Hosting;
using CaseExchange.Http;
using CaseExchange.Journal.Anchors;
using CaseExchange.Journal.Checkpoints;
using JasperFx.CommandLine;

namespace CaseExchange.Journal.Verification;

public sealed class JournalVerifyInput : NetCoreInput
{
    [Description("Code of the council whose access journal is verified")]
    public string Council { get; set; } = "";

    [FlagAlias("read-only")]
    [Description("Verify only: do not seal the chains that moved since the last checkpoint first")]
    public bool ReadOnlyFlag { get; set; }

    [FlagAlias("anchors")]
    [Description("A list of checkpoint hashes exported earlier (journal-anchors): also compare it with the database")]
    public string? AnchorsFlag { get; set; }
}

/// <summary>
/// <c>dotnet run --project src/CaseExchange -- journal-verify &lt;council&gt;</c>: prints the verification report of a
/// council's access journal and exits non-zero if a link is broken.
/// </summary>
[Description("Verify a council's access journal (hash chains and checkpoints); exits non-zero on a broken link", Name = "journal-verify")]
public sealed class JournalVerifyVerb : JasperFxAsyncCommand<JournalVerifyInput>
{
    public JournalVerifyVerb()
    {
        Usage("Seal the chains that moved, then verify the council's journal").Arguments(x => x.Council);
    }

    public override async Task<bool> Execute(JournalVerifyInput input)
    {
        using var host = input.BuildHost();
        try
        {
            // Outside the running service nothing has created the schema yet (a fresh database reads as empty).
            await host.Services.GetRequiredService<Marten.IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            if (!input.ReadOnlyFlag)
            {
                var sealedNow = await host.Services.GetRequiredService<JournalSealer>().SealAsync(input.Council);
                foreach (var checkpoint in sealedNow)
                    Console.WriteLine($"Checkpoint {checkpoint.Sequence} sealed ({checkpoint.Heads.Count} chains): {checkpoint.Hash}");
            }
            IReadOnlyList<CheckpointAnchor>? exported = null;
            if (input.AnchorsFlag is { Length: > 0 } anchorsFile && !JournalAnchors.TryParse(await File.ReadAllTextAsync(anchorsFile), out exported, out var error))
            {
                Console.Error.WriteLine(error);
                return false;
            }
            var report = await host.Services.GetRequiredService<JournalVerifier>().VerifyAsync(input.Council);
            Console.WriteLine(Describe(report));
            if (exported is null) return report.Intact;
            var stored = await JournalAnchors.ReadAsync(host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), input.Council, CancellationToken.None);
            var comparison = JournalAnchors.Compare(input.Council, exported, stored);
            Console.WriteLine(JournalAnchorsVerb.Describe(comparison));
            return report.Intact && comparison.Matches;
        }
        finally
        {
            // Outside the running service nothing stops the embedded PostgreSQL this command may have started.
            if (host.Services.GetService<EmbeddedPostgres>() is { } embedded) await embedded.DisposeAsync();
        }
    }

    public static string Describe(JournalVerificationReport report)
    {
        var lines = new List<string>
        {
            $"Council:          {report.Council}",
            $"Verified at:      {report.VerifiedAt:O}",
            $"Entries:          {report.EntryCount} in {report.ChainCount} chains ({report.SealedChainCount} sealed)",
            $"Not yet sealed:   {report.UnsealedEntryCount} entries",
            $"Checkpoints:      {report.CheckpointCount}" +
            (report.LastCheckpointSequence is { } last ? $", last #{last} {report.LastCheckpointHash}" : "") +
            (report.UnkeyedCheckpointCount > 0 ? $" ({report.UnkeyedCheckpointCount} unkeyed, from before checkpoints were authenticated)" : ""),
            report.Intact ? "Result:           INTACT" : $"Result:           BROKEN ({report.BrokenChainCount} chains)",
        };
        foreach (var b in report.Breaks)
            lines.Add($"  {b.Kind,-15} {(b.InCheckpointChain ? "checkpoints" : b.Pseudonym ?? b.ChainId.ToString()),-16} #{b.Sequence}: {b.Detail}");
        return string.Join(Environment.NewLine, lines);
    }
}
