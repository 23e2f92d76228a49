using CaseExchange.Journal;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Journal.Verification;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CaseExchange.Tests.Journal;

public sealed class ChainHeadsFixture : ServiceFixture
{
    // Seals every council of its database and takes the rounds' lock.
    protected override bool OwnHost => true;
}

public sealed class ChainHeadsAndCheckpointsTests(ChainHeadsFixture fixture) : IClassFixture<ChainHeadsFixture>
{
    private TestService Service => fixture.Service;

    [Fact]
    public async Task A_periodic_round_seals_every_council_that_moved_and_runs_on_one_node_at_a_time()
    {
        var journal = Service.Services.GetRequiredService<AccessJournal>();
        var verifier = Service.Services.GetRequiredService<JournalVerifier>();
        var round = Service.Services.GetServices<IHostedService>().OfType<JournalCheckpointTimer>().Single();
        foreach (var council in new[] { "nord", "sud" })
            await journal.AppendAsync(council, new JournalRequest(JournalActions.FileOpening, Guid.CreateVersion7(), "S-2026-0001",
                Guid.CreateVersion7(), "membre.test", "suivi", null, null, Granted: true, Refusal: null), TestContext.Current.CancellationToken);

        // Another node holds the lock: this one leaves the round to it.
        await using (var otherNode = new NpgsqlConnection(Service.ConnectionString))
        {
            await otherNode.OpenAsync(TestContext.Current.CancellationToken);
            await using var take = new NpgsqlCommand("select pg_advisory_lock($1)", otherNode) { Parameters = { new() { Value = JournalCheckpointTimer.LockKey } } };
            await take.ExecuteScalarAsync(TestContext.Current.CancellationToken);
            Assert.False(await round.SealUnderLockAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0, (await verifier.VerifyAsync("nord", TestContext.Current.CancellationToken)).CheckpointCount);
            // A pooled connection keeps its session, and the session its lock, until told otherwise.
            await using var release = new NpgsqlCommand("select pg_advisory_unlock($1)", otherNode) { Parameters = { new() { Value = JournalCheckpointTimer.LockKey } } };
            await release.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(await round.SealUnderLockAsync(TestContext.Current.CancellationToken));
        foreach (var council in new[] { "nord", "sud" })
        {
            var report = await verifier.VerifyAsync(council, TestContext.Current.CancellationToken);
            Assert.True(report.Intact);
            Assert.Equal((1, 0), (report.CheckpointCount, report.UnsealedEntryCount));
        }

        // Nothing moved since: no empty checkpoint.
        Assert.True(await round.SealUnderLockAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, (await verifier.VerifyAsync("nord", TestContext.Current.CancellationToken)).CheckpointCount);
    }

    [Fact]
    public async Task A_head_document_behind_its_chain_does_not_stop_the_journal()
    {
        var journal = Service.Services.GetRequiredService<AccessJournal>();
        var request = new JournalRequest(JournalActions.FileOpening, Guid.CreateVersion7(), "S-2026-0002", Guid.CreateVersion7(), "membre.test",
            "suivi", null, null, Granted: true, Refusal: null);
        await journal.AppendAsync("ouest", request, TestContext.Current.CancellationToken);
        await journal.AppendAsync("ouest", request, TestContext.Current.CancellationToken);
        await Service.ExecuteSqlAsync(
            "update caseexchange.mt_doc_journalchainhead set data = jsonb_set(data, '{LastSequence}', '1') where tenant_id = $1 and id = $2",
            "ouest", JournalChains.ChainOf(request.SituationId));

        var third = await journal.AppendAsync("ouest", request, TestContext.Current.CancellationToken);
        Assert.Equal(3, third.Sequence);
        var report = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync("ouest", TestContext.Current.CancellationToken);
        Assert.True(report.Intact);
        Assert.Equal(3, report.EntryCount);
    }
}
