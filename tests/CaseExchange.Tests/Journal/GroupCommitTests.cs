using System.Text.Json;
using CaseExchange.Journal;
using CaseExchange.Journal.Verification;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Journal;

public sealed class GroupCommitFixture : JournalFixture
{
    // Holds the chains' locks (which stalls every round of its service) and breaks its database with a trigger.
    protected override bool OwnHost => true;

    protected override string Code => "groupe";
}

/// <summary>
/// Group commit (<see cref="JournalCommitter"/>): concurrent openings' entries committed in one transaction per round,
/// each answer still waiting for its own entry's commit, and nothing returned of a round that could not be committed.
/// </summary>
public sealed class GroupCommitTests(GroupCommitFixture fixture) : IClassFixture<GroupCommitFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private JournalCommitter Committer => Service.Services.GetRequiredService<JournalCommitter>();
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_entry_refused_by_PostgreSQL_in_a_round_of_16_openings_returns_nothing_and_the_others_are_answered_only_once_committed_alone()
    {
        var refused = TestPerson.Distinctive("Refus");
        var (refusedId, _) = await Council.ReferAsync(Service, refused, "Faits distinctifs Refus");
        var others = new List<Guid>();
        for (var i = 0; i < 3; i++) others.Add((await Council.ReferAsync(Service, TestPerson.Distinctive($"Tour{i}"), $"Faits Tour{i}")).Id);
        var blocker = (await Council.ReferAsync(Service, TestPerson.Distinctive("Bloque"), "Faits Bloque")).Id;
        await Service.TokenAsync(Council.MemberOfHoldingGroup);

        // PostgreSQL refuses the entries of this one situation only (another class's service is not this one, but be precise).
        await Service.ExecuteSqlAsync($"""
            create or replace function caseexchange.test_refuse_round() returns trigger language plpgsql
              as $$ begin raise exception 'journal entry refused by the test'; end $$;
            create trigger test_refuse_round before insert on caseexchange.mt_events for each row
              when (new.type = 'access_journalled' and new.tenant_id = '{Council.Code}' and new.stream_id = '{JournalChains.ChainOf(refusedId)}')
              execute function caseexchange.test_refuse_round();
            """);
        try
        {
            // One opening holds the writer loop on a chain lock another node has: the 16 then queue up as one round.
            HttpResponseMessage[] answers;
            await using (var otherNode = await ChainLockAsync(blocker))
            {
                var first = Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, blocker);
                await WaitForAsync(async () => await WaitingAdvisoryLocksAsync() > 0, "the first round to wait for the chain lock");
                var round = Enumerable.Range(0, 16)
                    .Select(i => Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, i == 7 ? refusedId : others[i % others.Count]))
                    .ToList();
                await WaitForAsync(() => Task.FromResult(Committer.Queued >= 16), "the 16 openings to be queued");
                Assert.DoesNotContain(round, t => t.IsCompleted);
                await otherNode.DisposeAsync();
                await Answers.ExpectAsync(await first, 200);
                answers = await Task.WhenAll(round);
            }

            // The refused entry: 503, nothing of the file, no journal row.
            var problem = await Answers.ProblemAsync(answers[7], 503);
            Assert.Equal(JournalProblemTypes.Unavailable, problem.GetProperty("type").GetString());
            foreach (var leakable in refused.Leakables().Append("Faits distinctifs Refus")) Assert.DoesNotContain(leakable, problem.GetRawText());
            Assert.Empty(await Service.JournalAsync(Council.Code, refusedId));

            // The round was rolled back whole; its 15 other entries were each committed again in a transaction of its own.
            foreach (var answer in answers.Where((_, i) => i != 7)) await Answers.ExpectAsync(answer, 200);
            var transactions = await TransactionsOfAsync(Council.Code, others);
            Assert.Equal(15, transactions.Count);
            Assert.Equal(15, transactions.Distinct().Count());
            int CountOf(Guid situation) => Enumerable.Range(0, 16).Count(i => i != 7 && others[i % others.Count] == situation);
            foreach (var other in others)
                Assert.Equal(CountOf(other), (await Service.JournalAsync(Council.Code, other)).Count);
        }
        finally
        {
            await Service.ExecuteSqlAsync("drop trigger test_refuse_round on caseexchange.mt_events");
        }

        var report = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code, Cancellation);
        Assert.True(report.Intact, JournalVerifyVerb.Describe(report));
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, refusedId), 200);
    }

    [Fact]
    public async Task No_opening_is_answered_before_its_round_commits()
    {
        var person = TestPerson.Distinctive("Attente");
        var (id, _) = await Council.ReferAsync(Service, person, "Faits distinctifs Attente");
        await Service.TokenAsync(Council.MemberOfHoldingGroup);

        List<Task<HttpResponseMessage>> openings;
        await using (var otherNode = await ChainLockAsync(id))
        {
            openings = [.. Enumerable.Range(0, 5).Select(_ => Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id))];
            await WaitForAsync(async () => await WaitingAdvisoryLocksAsync() > 0, "a round to wait for the chain lock");
            var rounds = Committer.Committed.Rounds;
            await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);

            // The round holds its entries but cannot commit: nothing is answered, nothing is journalled.
            Assert.DoesNotContain(openings, t => t.IsCompleted);
            Assert.Empty(await Service.JournalAsync(Council.Code, id));
            Assert.Equal(rounds, Committer.Committed.Rounds);
        }

        foreach (var opening in openings)
        {
            var answer = await opening;
            await Answers.ExpectAsync(answer, 200);
            Assert.Contains(person.Nom, await answer.Content.ReadAsStringAsync(Cancellation));
        }
        var entries = await Service.JournalAsync(Council.Code, id);
        Assert.Equal([1, 2, 3, 4, 5], entries.Select(e => e.Sequence).Order());
    }

    [Fact]
    public async Task Fifty_concurrent_openings_of_one_file_leave_an_intact_contiguous_chain_in_fewer_rounds()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Seance"), "Faits Seance");
        await Service.TokenAsync(Council.MemberOfHoldingGroup);
        var before = Committer.Committed;

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id)));

        foreach (var answer in answers) await Answers.ExpectAsync(answer, 200);
        var entries = await Service.JournalAsync(Council.Code, id);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), entries.Select(e => e.Sequence).Order());
        var rows = await JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.ChainOf(id));
        for (var i = 1; i < rows.Count; i++) Assert.Equal(rows[i - 1].Hash, rows[i].PreviousHash);
        var after = Committer.Committed;
        Assert.True(after.Entries - before.Entries >= 50);

        var report = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code, Cancellation);
        Assert.True(report.Intact, JournalVerifyVerb.Describe(report));
        var verified = await Service.PostJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/verifications", new { });
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.GetRawText());
    }

    [Fact]
    public async Task Openings_of_two_councils_in_one_round_go_each_to_its_own_tenant_and_chain()
    {
        var second = await TestCouncil.CreateAsync(Service, "groupe-deux");
        var (mine, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Un"), "Faits Un");
        var (theirs, _) = await second.ReferAsync(Service, TestPerson.Distinctive("Deux"), "Faits Deux");
        var blocker = (await Council.ReferAsync(Service, TestPerson.Distinctive("Bouchon"), "Faits Bouchon")).Id;
        await Service.TokenAsync(Council.MemberOfHoldingGroup);
        await Service.TokenAsync(second.MemberOfHoldingGroup);

        await using (var otherNode = await ChainLockAsync(blocker))
        {
            var first = Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, blocker);
            await WaitForAsync(async () => await WaitingAdvisoryLocksAsync() > 0, "the first round to wait for the chain lock");
            var round = new[]
            {
                Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, mine),
                Service.OpenFileAsync(second, second.MemberOfHoldingGroup, theirs),
                Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, mine),
                Service.OpenFileAsync(second, second.MemberOfHoldingGroup, theirs),
            };
            await WaitForAsync(() => Task.FromResult(Committer.Queued >= round.Length), "the openings to be queued");
            await otherNode.DisposeAsync();
            await Answers.ExpectAsync(await first, 200);
            foreach (var answer in await Task.WhenAll(round)) await Answers.ExpectAsync(answer, 200);
        }

        // One transaction for both councils' entries…
        var transactions = (await TransactionsOfAsync(Council.Code, [mine])).Concat(await TransactionsOfAsync(second.Code, [theirs])).ToList();
        Assert.Equal(4, transactions.Count);
        Assert.Single(transactions.Distinct());

        // … each in its own council's chain, and neither council sees the other's.
        Assert.Equal([1L, 2L], (await Service.JournalAsync(Council.Code, mine)).Select(e => e.Sequence));
        Assert.Equal([1L, 2L], (await Service.JournalAsync(second.Code, theirs)).Select(e => e.Sequence));
        Assert.Empty(await Service.JournalAsync(Council.Code, theirs));
        Assert.Empty(await Service.JournalAsync(second.Code, mine));
        foreach (var council in new[] { Council.Code, second.Code })
        {
            var report = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(council, Cancellation);
            Assert.True(report.Intact, JournalVerifyVerb.Describe(report));
        }
    }

    [Fact]
    public async Task At_shutdown_the_round_in_flight_and_the_queued_entries_get_the_503_problem_and_nothing_is_journalled()
    {
        var (id, pseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("Arret"), "Faits Arret");
        var request = new JournalRequest(JournalActions.FileOpening, id, pseudonym, Council.Id(Council.MemberOfHoldingGroup),
            Council.MemberOfHoldingGroup, JournalTestSupport.Purpose, null, null, Granted: true, Refusal: null);
        // A committer of its own, stopped as the host stops the service's.
        await using var committer = new JournalCommitter(Service.Store, Service.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<JournalCommitter>.Instance);

        await using (await ChainLockAsync(id))
        {
            var first = committer.CommitAsync(Council.Code, request, Cancellation);
            await WaitForAsync(async () => await WaitingAdvisoryLocksAsync() > 0, "the round to wait for the chain lock");
            var queued = new[] { committer.CommitAsync(Council.Code, request, Cancellation), committer.CommitAsync(Council.Code, request, Cancellation) };

            // The host's shutdown gives it half a second: the round cannot commit in time and is abandoned.
            using (var shortly = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
                await committer.StoppedAsync(shortly.Token);

            foreach (var waiting in queued.Prepend(first))
                Assert.Equal(503, (await Assert.ThrowsAsync<CaseExchange.Http.ProblemException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30), Cancellation))).Problem.Status);
            // Stopped: a new entry is refused at once.
            Assert.Equal(503, Assert.Throws<CaseExchange.Http.ProblemException>(() => { _ = committer.CommitAsync(Council.Code, request, Cancellation); }).Problem.Status);
        }

        Assert.Empty(await Service.JournalAsync(Council.Code, id));
    }

    /// <summary>Another node's transaction holding the chain lock of a situation's journal, as its own round would.</summary>
    private async Task<NpgsqlConnection> ChainLockAsync(Guid situationId)
    {
        var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var begin = new NpgsqlCommand("begin", connection);
        await begin.ExecuteNonQueryAsync(Cancellation);
        await using var take = new NpgsqlCommand("select pg_advisory_xact_lock($1, $2)", connection)
        {
            Parameters = { new() { Value = 0x4A524E4C }, new() { Value = BitConverter.ToInt32(JournalChains.ChainOf(situationId).ToByteArray()) } },
        };
        await take.ExecuteNonQueryAsync(Cancellation);
        return connection;
    }

    private async Task<long> WaitingAdvisoryLocksAsync()
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(
            "select count(*) from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
            connection);
        return (long)(await command.ExecuteScalarAsync(Cancellation))!;
    }

    /// <summary>The transaction (xmin) of each journal row of these situations: rows committed together share it.</summary>
    private async Task<List<long>> TransactionsOfAsync(string council, IEnumerable<Guid> situations)
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(
            "select xmin::text::bigint from caseexchange.mt_events where tenant_id = $1 and type = 'access_journalled' and stream_id = any($2)", connection)
        {
            Parameters = { new() { Value = council }, new() { Value = situations.Select(JournalChains.ChainOf).ToArray() } },
        };
        var transactions = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(Cancellation);
        while (await reader.ReadAsync(Cancellation)) transactions.Add(reader.GetInt64(0));
        return transactions;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}");
            await Task.Delay(20, Cancellation);
        }
    }
}
