using System.Net;
using System.Text.Json;
using CaseExchange.Seances;
using CaseExchange.Seances.Cancellation;
using CaseExchange.Seances.Rescheduling;
using CaseExchange.Seances.Scheduling;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class ReplanSeanceFixture : SeanceCouncilFixture;

/// <summary>Place and time of a séance, its rescheduling and cancellation: pure checks and decisions, then 400/409 through HTTP and the page.</summary>
public sealed class ReplanSeanceTests(ReplanSeanceFixture fixture) : IClassFixture<ReplanSeanceFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    [Fact]
    public void A_place_is_optional_at_scheduling_and_kept_on_the_seance()
    {
        Assert.Equal(["place"], Fields(ScheduleSeanceUseCase.Check(new ScheduleSeance(Now.AddDays(9), Place: new string('x', SeancePlace.MaxLength + 1)), Now)));
        var scheduled = ScheduleSeanceUseCase.Decide(Guid.CreateVersion7(), Group(), new ScheduleSeance(Now.AddDays(9), Place: "  Mairie, salle du conseil "), Author, Now);
        Assert.Equal("Mairie, salle du conseil", scheduled.Place);
        var seance = new Seance();
        seance.Apply(scheduled);
        Assert.Equal("Mairie, salle du conseil", seance.Place);
    }

    [Fact]
    public void A_rescheduling_needs_a_date_not_in_the_past_a_listed_reason_and_the_version_seen()
    {
        Assert.Equal(["expectedVersion", "date", "reason"], Fields(RescheduleSeanceUseCase.Check(new RescheduleSeance(null, null, null, null), Now)));
        Assert.Equal(["date", "reason"], Fields(RescheduleSeanceUseCase.Check(new RescheduleSeance(Now.AddDays(-3), null, "pas-dans-la-liste", 1), Now)));
        Assert.Empty(Fields(RescheduleSeanceUseCase.Check(new RescheduleSeance(Now.AddDays(3), null, "indisponibilite-salle", 1), Now)));
    }

    [Fact]
    public void A_seance_moves_only_before_it_is_held_and_keeps_its_place_unless_told()
    {
        var group = Group();
        var seance = Seance(group, Now.AddDays(5));
        seance.Apply(new SeancePlaceChanged(seance.Id, "Mairie annexe", Author, Now));
        var moved = RescheduleSeanceUseCase.Decide(seance, new RescheduleSeance(Now.AddDays(12), null, "calendrier", 2), Author, Now);
        Assert.Equal(new SeanceRescheduled(seance.Id, Now.AddDays(5), Now.AddDays(12), null, "calendrier", Author, Now), moved);
        seance.Apply(moved);
        Assert.Equal((Now.AddDays(12), "Mairie annexe", 1), (seance.Date, seance.Place, seance.Reschedulings));

        Assert.Contains("déjà prévue", OutOfOrder(() => RescheduleSeanceUseCase.Decide(seance, new RescheduleSeance(Now.AddDays(12), null, "calendrier", 3), Author, Now)));
        Assert.Contains("présence", OutOfOrder(() => RescheduleSeanceUseCase.Decide(Seance(group, attendance: true), new RescheduleSeance(Now.AddDays(3), null, "calendrier", 3), Author, Now)));
        Assert.Contains("close", OutOfOrder(() => RescheduleSeanceUseCase.Decide(Seance(group, closed: true), new RescheduleSeance(Now.AddDays(3), null, "calendrier", 3), Author, Now)));
        Assert.Contains("à cet endroit", OutOfOrder(() => ChangeSeancePlaceUseCase.Decide(seance, new ChangeSeancePlace("Mairie annexe", 3), Author, Now)));
        Assert.Equal(["place"], Fields(ChangeSeancePlaceUseCase.Check(new ChangeSeancePlace(" ", 3))));
    }

    [Fact]
    public void Cancelling_frees_the_situations_waiting_on_the_ODJ_and_nothing_more_is_recorded_at_the_seance()
    {
        Assert.Equal(["expectedVersion", "reason"], Fields(CancelSeanceUseCase.Check(new CancelSeance("autre-chose", null))));
        var group = Group();
        var seance = Seance(group, Now.AddDays(4));
        var waiting = Situation(group, "S-2026-0031").PlacedOn(seance);
        var cancellation = CancelSeanceUseCase.Decide(seance, new CancelSeance("quorum-insuffisant", 1), [waiting], Author, Now);
        Assert.Equal(new SeanceCancelled(seance.Id, "quorum-insuffisant", Author, Now), cancellation.Cancelled);
        Assert.Equal([new SituationPostponed(waiting.Id, seance.Id, Author, Now)], cancellation.Postponed);
        waiting.Apply(cancellation.Postponed[0]);
        Assert.DoesNotContain(waiting.Agenda, a => a.Pending);
        seance.Apply(cancellation.Cancelled);

        Assert.Contains("annulée", OutOfOrder(() => CancelSeanceUseCase.Decide(seance, new CancelSeance("quorum-insuffisant", 2), [], Author, Now)));
        Assert.Contains("annulée", OutOfOrder(() => RescheduleSeanceUseCase.Decide(seance, new RescheduleSeance(Now.AddDays(9), null, "calendrier", 2), Author, Now)));
        Assert.Contains("annulée", OutOfOrder(() => CaseExchange.Seances.Agenda.PlaceOnAgendaUseCase.Decide(Situation(group, "S-2026-0032"), seance, Author, Now)));
        Assert.Contains("présence", OutOfOrder(() => CancelSeanceUseCase.Decide(Seance(group, attendance: true), new CancelSeance("quorum-insuffisant", 2), [], Author, Now)));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_400_and_nothing_is_appended()
    {
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/rescheduling",
            new { date = DateTimeOffset.UtcNow.AddDays(-5), reason = "n-importe", expectedVersion = 1 }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("date", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/cancellation", new { expectedVersion = 1 }), 400);
        await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/place",
            new { place = "", expectedVersion = 1 }), 400);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public void A_rescheduling_keeps_the_minimum_notice_of_the_instance_kind_like_a_scheduling()
    {
        var operationnel = Policy.KindOf("operationnel");
        Assert.Equal(2, operationnel.MinimumNoticeDays);
        Assert.Equal(["date"], Fields(RescheduleSeanceUseCase.Check(new RescheduleSeance(Now.AddDays(1), null, "calendrier", 1), Now, operationnel)));
        Assert.Equal(["date"], Fields(ScheduleSeanceUseCase.Check(new ScheduleSeance(Now.AddDays(1)), Now, operationnel)));
        Assert.Empty(Fields(RescheduleSeanceUseCase.Check(new RescheduleSeance(Now.AddDays(3), null, "calendrier", 1), Now, operationnel)));
        Assert.Empty(Fields(RescheduleSeanceUseCase.Check(new RescheduleSeance(Now.AddDays(1), null, "calendrier", 1), Now,
            Policy.KindOf("thematique"))));
    }

    [Fact]
    public async Task A_rescheduling_inside_the_instance_kinds_notice_is_a_400_on_the_date_and_outside_it_is_accepted()
    {
        var group = await fixture.Steps.NewGroupAsync();
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/groups/{group}/kind",
            new { kind = "operationnel" }), 200);
        var seanceId = (await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups/{group}/seances",
            new { date = DateTimeOffset.UtcNow.AddDays(10) }, 201)).GetProperty("seanceId").GetGuid();
        var url = $"{Council.Api}/seances/{seanceId}/rescheduling";

        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url,
            new { date = DateTimeOffset.UtcNow.AddDays(1), reason = "calendrier", expectedVersion = 1 }), 400);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["date"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("au moins 2 jours à l'avance", errors.GetProperty("date")[0].GetString());
        Assert.Equal(before, await Service.EventCountAsync());
        Assert.Equal(1, await Steps.SeanceVersionAsync(seanceId));

        var moved = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, url,
            new { date = DateTimeOffset.UtcNow.AddDays(3), reason = "calendrier", expectedVersion = 1 });
        Assert.Equal(2, moved.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_place_naming_a_person_known_to_the_council_is_refused_and_the_text_is_not_kept()
    {
        var person = TestPerson.Distinctive("Lieu400");
        await Council.ReferAsync(Service, person, "Faits.");
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var problem = await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/place",
            new { place = $"Chez {person.Nom}", expectedVersion = 1 }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("place", out _));
        Assert.Equal(1, await Steps.SeanceVersionAsync(seanceId));
        Leaks.AssertNone(problem.ToString(), Leaks.Of(person), "the refusal");
    }

    [Fact]
    public async Task Rescheduling_and_cancelling_through_the_API_stale_or_out_of_order_is_409_and_a_freed_situation_goes_on_another_seance()
    {
        var situation = await Council.ReferAsync(Service, TestPerson.Distinctive("Annul409"), "Faits.");
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        await Steps.PlaceAsync(situation.Id, seanceId);

        var moved = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/rescheduling",
            new { date = DateTimeOffset.UtcNow.AddDays(15), place = "Mairie, salle du conseil", reason = "calendrier", expectedVersion = 1 });
        Assert.Equal("Mairie, salle du conseil", moved.GetProperty("place").GetString());
        var before = await Service.EventCountAsync();
        var stale = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/cancellation",
            new { reason = "quorum-insuffisant", expectedVersion = 1 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());
        Assert.Equal(before, await Service.EventCountAsync());

        var cancelled = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/cancellation",
            new { reason = "quorum-insuffisant", expectedVersion = 2 });
        Assert.Single(cancelled.GetProperty("freed").EnumerateArray());
        var view = await Steps.ViewAsync(seanceId);
        Assert.Equal("quorum-insuffisant", view.GetProperty("cancellationReason").GetString());

        var after = await Service.EventCountAsync();
        var again = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/rescheduling",
            new { date = DateTimeOffset.UtcNow.AddDays(20), reason = "calendrier", expectedVersion = 3 }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", again.GetProperty("type").GetString());
        Assert.Equal(after, await Service.EventCountAsync());

        var other = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(21));
        await Steps.PlaceAsync(situation.Id, other);
    }

    [Fact]
    public async Task The_page_moves_and_cancels_and_a_refused_form_keeps_what_was_typed()
    {
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var pageUrl = $"/c/{Council.Code}/seances/{seanceId}";
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var page = await (await client.GetAsync(pageUrl, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Reporter la séance", page);
        Assert.DoesNotContain("Enregistrer la présence", page);
        Assert.DoesNotContain(">Clore la séance<", page);

        var refused = await client.PostAsync($"{pageUrl}?handler=Reporter", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl),
            ["Move.Date"] = DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd"), ["Move.Time"] = "10:00", ["Move.Place"] = "Maison des associations, salle B",
            ["Move.Reason"] = "", ["Move.ExpectedVersion"] = "1",
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var kept = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Maison des associations, salle B", kept);
        Assert.Contains("Le motif du report doit être choisi dans la liste.", kept);

        var moved = await client.PostAsync($"{pageUrl}?handler=Reporter", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl),
            ["Move.Date"] = DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd"), ["Move.Time"] = "10:00", ["Move.Place"] = "Maison des associations, salle B",
            ["Move.Reason"] = "calendrier", ["Move.ExpectedVersion"] = "1",
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var cancelled = await client.PostAsync($"{pageUrl}?handler=Annuler", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl),
            ["Cancel.Reason"] = "evenement-imprevu", ["Cancel.ExpectedVersion"] = "2",
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        page = await (await client.GetAsync(pageUrl, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Annulée le", page);
        Assert.Contains("Maison des associations, salle B", page);
        Assert.DoesNotContain("Reporter la séance", page);
    }
}
