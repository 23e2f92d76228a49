using System.Text.Json;
using CaseExchange.Situations.Notices;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>Where a test finds the persons concerned of a situation: their ids and roles, from the anonymised view.</summary>
public static class NoticeSteps
{
    public static async Task<Guid> FirstPersonAsync(this TestService service, TestCouncil council, Guid situationId)
    {
        var view = await service.GetJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{situationId}");
        return view.GetProperty("notices")[0].GetProperty("personId").GetGuid();
    }
}

/// <summary>The information of the persons concerned: the pure checks and decisions.</summary>
public sealed class PersonNoticeTests
{
    private static Guid PersonOf(SituationHistory history) => history.Situation.Notices[0].PersonId;

    [Fact]
    public void The_projection_keeps_one_notice_per_person_by_id_and_role_pending_at_first()
    {
        var notice = Assert.Single(Referred().Situation.Notices);
        Assert.Equal("personne-suivie", notice.Role);
        Assert.True(notice.PendingOn(Today));
    }

    [Fact]
    public void Check_passes_a_person_of_the_situation_a_past_date_and_a_means_of_the_list()
    {
        var history = Referred();
        Assert.Empty(ErrorsOf(PersonNoticeUseCase.Check(new InformPerson(PersonOf(history), Today, "courrier", 1), history.Situation, Policy, Today)));
        Assert.Empty(ErrorsOf(PersonNoticeUseCase.Check(
            new DeferInformation(PersonOf(history), "enquete-en-cours", Today.AddDays(30), 1), history.Situation, Policy, Today)));
    }

    [Fact]
    public void Check_refuses_an_unknown_person_a_means_or_reason_outside_the_list_and_a_missing_review_date()
    {
        var history = Referred();
        var inform = ErrorsOf(PersonNoticeUseCase.Check(new InformPerson(Guid.NewGuid(), Today.AddDays(1), "sms", 1), history.Situation, Policy, Today));
        Assert.True(inform.ContainsKey("personId") && inform.ContainsKey("informedOn") && inform.ContainsKey("means"));

        var defer = ErrorsOf(PersonNoticeUseCase.Check(new DeferInformation(PersonOf(history), "parce-que", null, 1), history.Situation, Policy, Today));
        Assert.True(defer.ContainsKey("reason") && defer.ContainsKey("reviewOn"));
        Assert.False(defer.ContainsKey("personId"));
        var past = ErrorsOf(PersonNoticeUseCase.Check(new DeferInformation(PersonOf(history), "enquete-en-cours", Today, 1), history.Situation, Policy, Today));
        Assert.True(past.ContainsKey("reviewOn"));
    }

    [Fact]
    public void Decide_informs_then_the_notice_is_no_longer_pending_and_cannot_be_deferred()
    {
        var history = Referred();
        var person = PersonOf(history);
        var deferred = PersonNoticeUseCase.Decide(history.Situation, new DeferInformation(person, "personne-injoignable", Today.AddDays(10), 1), history.ActorId, Now);
        history.Situation.Apply(deferred);
        Assert.False(history.Situation.Notices[0].PendingOn(Today));
        Assert.True(history.Situation.Notices[0].PendingOn(Today.AddDays(10)));

        var informed = PersonNoticeUseCase.Decide(history.Situation, new InformPerson(person, Today, "entretien", 2), history.ActorId, Now);
        Assert.Equal((history.Id, person, Today, "entretien", history.ActorId, Now),
            (informed.SituationId, informed.PersonId, informed.InformedOn, informed.Means, informed.InformedBy, informed.At));
        history.Situation.Apply(informed);
        Assert.False(history.Situation.Notices[0].PendingOn(Today.AddDays(400)));
        Assert.Equal(history.ActorId, history.Situation.Notices[0].InformedBy);

        Assert.Contains("déjà été informée", OutOfOrder(() => PersonNoticeUseCase.Decide(history.Situation, new InformPerson(person, Today, "courrier", 3), history.ActorId, Now)));
        Assert.Contains("déjà été informée", OutOfOrder(() => PersonNoticeUseCase.Decide(history.Situation,
            new DeferInformation(person, "enquete-en-cours", Today.AddDays(5), 3), history.ActorId, Now)));
    }

    [Fact]
    public void Decide_refuses_a_closed_situation()
    {
        var history = Referred().Examined(Guid.NewGuid()).Closed();
        Assert.Contains("clôturée", OutOfOrder(() => PersonNoticeUseCase.Decide(history.Situation,
            new InformPerson(PersonOf(history), Today, "courrier", 4), history.ActorId, Now)));
    }
}

public sealed class PersonNoticeHttpFixture : CouncilFixture;

/// <summary>The information endpoints: 400 with nothing appended, 403 for a member of another group, 200 for the lead.</summary>
public sealed class PersonNoticeHttpTests(PersonNoticeHttpFixture fixture) : IClassFixture<PersonNoticeHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static string InAMonth => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd");
    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    [Fact]
    public async Task Bad_requests_get_400_and_append_nothing()
    {
        var id = await fixture.Steps.ReferredAsync();
        var person = await Service.FirstPersonAsync(Council, id);
        var before = await Service.NonJournalEventCountAsync();
        var url = $"{Council.Api}/situations/{id}/notices";

        var unknown = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{url}/informed",
            new { personId = Guid.NewGuid(), informedOn = Today, means = "courrier", expectedVersion = 1 }), 400);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("personId", out _));
        var noReview = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{url}/deferred",
            new { personId = person, reason = "enquete-en-cours", expectedVersion = 1 }), 400);
        Assert.True(noReview.GetProperty("errors").TryGetProperty("reviewOn", out _));
        var badReason = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{url}/deferred",
            new { personId = person, reason = "convenance", reviewOn = InAMonth, expectedVersion = 1 }), 400);
        Assert.True(badReason.GetProperty("errors").TryGetProperty("reason", out _));

        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_member_of_another_group_gets_403_and_the_animateur_records_the_information()
    {
        var id = await fixture.Steps.ReferredAsync();
        var person = await Service.FirstPersonAsync(Council, id);
        var before = await Service.NonJournalEventCountAsync();
        await Answers.ExpectAsync(await Service.PostAsync(Council.MemberOfOtherGroup, $"{Council.Api}/situations/{id}/notices/informed",
            new { personId = person, informedOn = Today, means = "courrier", expectedVersion = 1 }), 403);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());

        var deferred = await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/situations/{id}/notices/deferred",
            new { personId = person, reason = "personne-injoignable", reviewOn = InAMonth, expectedVersion = 1 });
        Assert.Equal(2, deferred.GetProperty("version").GetInt64());
        var informed = await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/situations/{id}/notices/informed",
            new { personId = person, informedOn = Today, means = "remise-en-main-propre", expectedVersion = 2 });
        Assert.Equal(3, informed.GetProperty("version").GetInt64());
        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}");
        Assert.Equal(Today, view.GetProperty("notices")[0].GetProperty("informedOn").GetString());
    }
}
