using CaseExchange.Hosting;
using CaseExchange.Http;
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
public sealed class ErasureLedgerVerb : JasperFxAsyncCommand<ErasureLedgerInput>
{
    public ErasureLedgerVerb()
    {
        Usage("Verify the ledger, or export it, or apply it to the database").Arguments(x => x.Action);
    }

    public override async Task<bool> Execute(ErasureLedgerInput input)
    {
        using var host = input.BuildHost();
        try
        {
            return await RunAsync(host.Services.GetRequiredService<ErasureLedger>(), () => host.Services.GetRequiredService<ErasureLedgerReplay>(),
                input.Action, input.ToFlag, Console.Out, Console.Error);
        }
        finally
        {
            // Outside the running service nothing stops the embedded PostgreSQL this command may have started.
            if (host.Services.GetService<EmbeddedPostgres>() is { } embedded) await embedded.DisposeAsync();
        }
    }

    /// <summary>The command itself, apart from the host: true when the ledger is intact (and the action done).</summary>
    public static async Task<bool> RunAsync(ErasureLedger ledger, Func<ErasureLedgerReplay> replay, string action, string? to,
        TextWriter output, TextWriter error)
    {
        if (!ledger.IsEnabled)
        {
            await error.WriteLineAsync("No erasure ledger is configured: set ErasureLedger__Directory.");
            return false;
        }
        switch (action.ToLowerInvariant())
        {
            case "export" when string.IsNullOrWhiteSpace(to):
                await error.WriteLineAsync("export needs --to <file>.");
                return false;
            case "export":
            {
                var report = await ledger.ExportAsync(to!);
                await output.WriteLineAsync(report.Describe());
                if (report.Intact) await output.WriteLineAsync($"Exported to: {Path.GetFullPath(to!)}");
                return report.Intact;
            }
            case "apply":
            {
                var applied = await replay().ReplayAsync();
                await output.WriteLineAsync($"Listed: {applied.Listed}, erased again: {applied.ErasedAgain}, added to the ledger: " +
                                            $"{applied.AddedToLedger}, ledger {(applied.LedgerIntact ? "INTACT" : "BROKEN")}");
                return applied.LedgerIntact;
            }
            case "verify":
            {
                var report = await ledger.ReadAsync();
                await output.WriteLineAsync(report.Describe());
                return report.Intact;
            }
            default:
                await error.WriteLineAsync("Unknown action: use verify, export or apply.");
                return false;
        }
    }
}
