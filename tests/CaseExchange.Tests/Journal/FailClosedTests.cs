using CaseExchange.Charter;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Journal;

public sealed class FailClosedFixture : JournalFixture
{
    // Breaks its database (a trigger refusing journal entries).
    protected override bool OwnHost => true;

    protected override string Code => "ferme";
}

/// <summary>The journal is written before anything is returned: when it cannot be, nothing is.</summary>
public sealed class FailClosedTests(FailClosedFixture fixture) : IClassFixture<FailClosedFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task When_the_journal_cannot_be_written_the_file_is_not_returned()
    {
        var person = TestPerson.Distinctive("Ferme");
        var (id, _) = await Council.ReferAsync(Service, person, "Faits distinctifs Ferme");

        // PostgreSQL itself refuses journal entries of this council, as a full disk or a revoked grant would.
        await Service.ExecuteSqlAsync("""
            create or replace function caseexchange.test_refuse_journal() returns trigger language plpgsql
              as $$ begin raise exception 'journal refused by the test'; end $$;
            create trigger test_refuse_journal before insert on caseexchange.mt_events for each row
              when (new.type = 'access_journalled' and new.tenant_id = 'ferme') execute function caseexchange.test_refuse_journal();
            """);
        try
        {
            var response = await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id);
            var problem = await Answers.ProblemAsync(response, 503);
            Assert.Equal(JournalProblemTypes.Unavailable, problem.GetProperty("type").GetString());
            Assert.Contains("aucune donnée communiquée", problem.GetProperty("detail").GetString());
            var body = problem.GetRawText();
            foreach (var leakable in person.Leakables().Append("Faits distinctifs Ferme"))
                Assert.DoesNotContain(leakable, body);

            // A refusal that cannot be journalled is not answered as a refusal either.
            await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfOtherGroup, id), 503);
            Assert.Empty(await Service.JournalAsync(Council.Code, id));
        }
        finally
        {
            await Service.ExecuteSqlAsync("drop trigger test_refuse_journal on caseexchange.mt_events");
        }

        // The same request, once the journal can be written again: journalled, then answered.
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id), 200);
        Assert.True(Assert.Single(await Service.JournalAsync(Council.Code, id)).Granted);
    }

    [Fact]
    public async Task A_file_whose_key_cannot_be_unwrapped_is_not_returned_and_the_failed_attempt_is_journalled()
    {
        var person = TestPerson.Distinctive("Cle");
        var (id, _) = await Council.ReferAsync(Service, person, "Faits distinctifs Cle");
        // A wrapped key that no longer unwraps (e.g. a database restored without the key ring's certificate).
        Service.Services.GetRequiredService<SituationKeys>().Forget(Council.Code, id);
        await Service.ExecuteSqlAsync(
            "update caseexchange.situation_keys set wrapped_key = decode('Q2ZESjhBQUFBQUFBQUFBQQ==', 'base64') " +
            "where situation_id = $1 and council = $2", id, Council.Code);

        var problem = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id), 503);
        Assert.Equal(ProtectionProblemTypes.KeyRingUnavailable, problem.GetProperty("type").GetString());
        foreach (var leakable in person.Leakables()) Assert.DoesNotContain(leakable, problem.GetRawText());

        var entry = Assert.Single(await Service.JournalAsync(Council.Code, id));
        Assert.False(entry.Granted);
        Assert.Equal(JournalFailures.KeyUnavailable, entry.Refusal);

        // Its key destroyed without the erasure being recorded: 410, journalled too.
        Service.Services.GetRequiredService<SituationKeys>().Forget(Council.Code, id);
        await Service.ExecuteSqlAsync("delete from caseexchange.situation_keys where situation_id = $1 and council = $2", id, Council.Code);
        await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id), 410);
        Assert.Equal(Refusals.NominativeDataErased, (await Service.JournalAsync(Council.Code, id))[^1].Refusal);
    }
}
