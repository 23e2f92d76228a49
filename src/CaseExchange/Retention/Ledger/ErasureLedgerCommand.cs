using CaseExchange.Hosting;
using JasperFx.CommandLine;

namespace CaseExchange.Retention.Ledger;

public sealed class ErasureLedgerInput : NetCoreInput
{
    [Description("verify: check the hash chain; export: copy the verified ledger to a file; apply: erase again every listed situation whose key exists")]
    public string Action { get; set; } = "verify";

    [Description("export: the file to write the ledger's copy to")]
    public string ToFlag { get; set; } = "";
}

/// <summary>
/// <c>CaseExchange erasure-ledger verify|export --to FILE|apply</c>: the operator's view of the erasure ledger. Exits
/// non-zero when a line was removed or altered.
/// </summary>
[Description("Verify, export or re-apply the erasure ledger kept outside the database", Name = "erasure-ledger")]
public sealed class ErasureLedgerCommand : JasperFxAsyncCommand<ErasureLedgerInput>
{
    public ErasureLedgerCommand()
    {
        Usage("Verify the ledger, or export it, or apply it to the database").Arguments(x => x.Action);
    }

    public override async Task<bool> Execute(ErasureLedgerInput input)
    {
        using var host = input.BuildHost();
        try
        {
            var ledger = host.Services.GetRequiredService<ErasureLedger>();
            if (!ledger.IsEnabled)
            {
                Console.Error.WriteLine("No erasure ledger is configured: set ErasureLedger__Directory.");
                return false;
            }
            switch (input.Action.ToLowerInvariant())
            {
                case "export" when string.IsNullOrWhiteSpace(input.ToFlag):
                    Console.Error.WriteLine("export needs --to <file>.");
                    return false;
                case "export":
                {
                    var report = await ledger.ExportAsync(input.ToFlag);
                    Console.WriteLine(report.Describe());
                    if (report.Intact) Console.WriteLine($"Exported to:  {Path.GetFullPath(input.ToFlag)}");
                    return report.Intact;
                }
                case "apply":
                {
                    var replay = await host.Services.GetRequiredService<ErasureLedgerReplay>().ReplayAsync();
                    Console.WriteLine($"Listed: {replay.Listed}, erased again: {replay.ErasedAgain}, added to the ledger: {replay.AddedToLedger}, " +
                                      $"ledger {(replay.LedgerIntact ? "INTACT" : "BROKEN")}");
                    return replay.LedgerIntact;
                }
                case "verify":
                {
                    var report = await ledger.ReadAsync();
                    Console.WriteLine(report.Describe());
                    return report.Intact;
                }
                default:
                    Console.Error.WriteLine("Unknown action: use verify, export or apply.");
                    return false;
            }
        }
        finally
        {
            // Outside the running service nothing stops the embedded PostgreSQL this command may have started.
            if (host.Services.GetService<EmbeddedPostgres>() is { } embedded) await embedded.DisposeAsync();
        }
    }
}
