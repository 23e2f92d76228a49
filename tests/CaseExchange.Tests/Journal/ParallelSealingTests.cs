using System.Net.Http.Json;
using System.Collections.Concurrent;
using System.Text.Json;
using CaseExchange.Journal;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Journal.Verification;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaseExchange.Tests.Journal;

public sealed class ParallelSealingFixture : ServiceFixture
{
    // Starts more nodes on its database.
    protected override bool OwnHost => true;
}

/// <summary>
/// Three service nodes on one database: auditors ask for checkpoints and verifications on every node, the operator
/// runs the sealer and the periodic round, while members keep opening files. No chain head is sealed twice, no auditor
/// gets a 409 or a 5xx, and every verification along the way finds the journal intact.
/// </summary>
public sealed class ParallelSealingTests(ParallelSealingFixture fixture) : IClassFixture<ParallelSealingFixture>
{
    [Fact]
    public async Task Sealers_racing_on_several_nodes_never_seal_a_head_twice_and_never_fail()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var first = fixture.Service;
        var council = await TestCouncil.CreateAsync(first, "paralleles");
        await using var second = await TestService.StartAsync(first.ConnectionString);
        await using var third = await TestService.StartAsync(first.ConnectionString);
        TestService[] nodes = [first, second, third];

        var situations = Enumerable.Range(0, 12).Select(_ => Guid.CreateVersion7()).ToArray();
        var statuses = new ConcurrentBag<(string Call, int Status)>();
        var verdicts = new ConcurrentBag<bool>();
        using var appending = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var journal = nodes[w % nodes.Length].Services.GetRequiredService<AccessJournal>();
            for (var n = 0; n < 40; n++)
            {
                var situation = situations[(w * 7 + n * 5) % situations.Length];
                await journal.AppendAsync(council.Code, new JournalRequest(JournalActions.FileOpening, situation, $"S-2026-77{Array.IndexOf(situations, situation):D2}",
                    Guid.CreateVersion7(), "membre.parallele", "suivi", null, null, Granted: n % 4 != 3, Refusal: n % 4 != 3 ? null : "hors-du-groupe-detenteur"),
                    cancellation);
            }
        }, cancellation)).ToArray();

        var sealers = nodes.Select((node, i) => Task.Run(async () =>
        {
            var sealer = node.Services.GetRequiredService<JournalSealer>();
            var round = node.Services.GetServices<IHostedService>().OfType<JournalCheckpointTimer>().Single();
            for (var n = 0; n < 10; n++)
            {
                switch ((n + i) % 4)
                {
                    case 0:
                        var sealing = await node.PostAsync(council.Auditeur, $"{council.Api}/journal/checkpoints", null);
                        statuses.Add(("checkpoints", (int)sealing.StatusCode));
                        break;
                    case 1:
                        var verification = await node.PostAsync(council.Auditeur, $"{council.Api}/journal/verifications", null);
                        statuses.Add(("verifications", (int)verification.StatusCode));
                        if (verification.IsSuccessStatusCode)
                            verdicts.Add((await verification.Content.ReadFromJsonAsync<JsonElement>(cancellation)).GetProperty("intact").GetBoolean());
                        break;
                    case 2:
                        await sealer.SealAsync(council.Code, cancellation);
                        break;
                    default:
                        await round.SealUnderLockAsync(cancellation);
                        break;
                }
            }
        }, cancellation)).ToArray();

        await Task.WhenAll([.. writers, .. sealers]);
        await first.Services.GetRequiredService<JournalSealer>().SealAsync(council.Code, cancellation);

        Assert.All(statuses, s => Assert.Equal(200, s.Status));
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, Assert.True);

        await using var session = first.Store.QuerySession(council.Code);
        var checkpoints = (await session.Events.FetchStreamAsync(JournalChains.CheckpointStreamId, token: cancellation))
            .Select(e => (JournalCheckpointSealed)e.Data).ToList();
        Assert.True(checkpoints.Count > 1);
        Assert.Equal(Enumerable.Range(1, checkpoints.Count).Select(i => (long)i), checkpoints.Select(c => c.Sequence));
        var sealedHeads = checkpoints.SelectMany(c => c.Heads.Select(h => (h.ChainId, h.Sequence))).ToList();
        Assert.Equal(sealedHeads.Count, sealedHeads.Distinct().Count());
        // Each chain's heads only move forward from one checkpoint to the next.
        foreach (var chain in sealedHeads.GroupBy(h => h.ChainId))
            Assert.Equal(chain.Select(h => h.Sequence).Order(), chain.Select(h => h.Sequence));

        var report = await first.Services.GetRequiredService<JournalVerifier>().VerifyAsync(council.Code, cancellation);
        Assert.True(report.Intact, JournalVerifyVerb.Describe(report));
        Assert.Equal((160, situations.Length, 0L), (report.EntryCount, report.ChainCount, report.UnsealedEntryCount));
    }
}
