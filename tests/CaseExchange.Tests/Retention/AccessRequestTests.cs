using System.Net;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Councils.ToDo;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Retention.RightOfAccess.Requests;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CaseExchange.Tests.Retention;

public sealed class AccessRequestsFixture : CouncilFixture
{
    protected override string Code => "demandes-acces";
}

/// <summary>
/// Recorded right-of-access requests (RGPD art. 12.3): recorded with a day and a channel and no identity, extended once within
/// the first month, answered through the journalled search; their deadline on the register and on the "à faire".
/// </summary>
public sealed class AccessRequestTests(AccessRequestsFixture fixture) : IClassFixture<AccessRequestsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private CharterPolicy Policy => Service.Services.GetRequiredService<CharterPolicy>();
    private string Requests => $"{Council.Api}/right-of-access/requests";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => AccessRequestDeadlines.TodayAt(DateTimeOffset.UtcNow);

    private static string Section(string html, string kind)
    {
        var start = html.IndexOf($"<section class=\"todo\" id=\"{kind}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section {kind}");
        return WebUtility.HtmlDecode(html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)]);
    }

    // ---- Pure rules ----

    [Fact]
    public void The_deadline_is_one_month_from_receipt_to_the_same_day_or_the_last_day_of_a_shorter_month_three_when_extended()
    {
        Assert.Equal(new DateOnly(2026, 4, 15), AccessRequestDeadlines.DueOn(new DateOnly(2026, 3, 15), extended: false));
        Assert.Equal(new DateOnly(2026, 2, 28), AccessRequestDeadlines.DueOn(new DateOnly(2026, 1, 31), extended: false));
        Assert.Equal(new DateOnly(2026, 4, 30), AccessRequestDeadlines.DueOn(new DateOnly(2026, 1, 31), extended: true));
        Assert.Equal(new DateOnly(2026, 6, 15), AccessRequestDeadlines.DueOn(new DateOnly(2026, 3, 15), extended: true));
        Assert.Equal("reste 3 jours", AccessRequestDeadlines.DaysLeftText(AccessRequestDeadlines.DaysLeft(new DateOnly(2026, 4, 15), new DateOnly(2026, 4, 12))));
        Assert.Equal("échéance aujourd'hui", AccessRequestDeadlines.DaysLeftText(0));
        Assert.Equal("en retard de 2 jours", AccessRequestDeadlines.DaysLeftText(AccessRequestDeadlines.DaysLeft(new DateOnly(2026, 4, 15), new DateOnly(2026, 4, 17))));
        // The council's day: 23:30 UTC on 14 April is already the 15th in Paris.
        Assert.Equal(new DateOnly(2026, 4, 15), AccessRequestDeadlines.TodayAt(new DateTimeOffset(2026, 4, 14, 23, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Check_wants_a_day_not_in_the_future_and_a_channel_of_the_list_and_Decide_refuses_what_the_state_no_longer_allows()
    {
        var now = new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero);
        Assert.False(RecordAccessRequestUseCase.Check(new RecordAccessRequest(new DateOnly(2026, 3, 15), "courrier"), Policy, now).Any);
        Assert.True(RecordAccessRequestUseCase.Check(new RecordAccessRequest(new DateOnly(2026, 3, 16), "courrier"), Policy, now).Any);
        Assert.True(RecordAccessRequestUseCase.Check(new RecordAccessRequest(null, "courrier"), Policy, now).Any);
        Assert.True(RecordAccessRequestUseCase.Check(new RecordAccessRequest(new DateOnly(2026, 3, 1), "pigeon"), Policy, now).Any);
        Assert.True(RecordAccessRequestUseCase.Check(null, Policy, now).Any);
        Assert.True(ExtendAccessRequestUseCase.Check(new ExtendAccessRequest("parce-que"), Policy).Any);
        Assert.False(ExtendAccessRequestUseCase.Check(new ExtendAccessRequest("complexite"), Policy).Any);

        var id = Guid.CreateVersion7();
        var recorded = RecordAccessRequestUseCase.Decide(id, new RecordAccessRequest(new DateOnly(2026, 3, 1), "courriel"), Guid.NewGuid(), now);
        Assert.StartsWith("DA-2026-", recorded.Reference);
        var state = new AccessRequest();
        state.Apply(recorded);
        Assert.Equal(new DateOnly(2026, 4, 1), state.DueOn);

        // Within the first month: extended once, to three months from receipt.
        var extended = ExtendAccessRequestUseCase.Decide(state, new ExtendAccessRequest("complexite"), Guid.NewGuid(), now);
        state.Apply(extended);
        Assert.Equal(new DateOnly(2026, 6, 1), state.DueOn);
        Assert.Equal(409, Assert.Throws<ProblemException>(() => ExtendAccessRequestUseCase.Decide(state, new ExtendAccessRequest("complexite"), Guid.NewGuid(), now)).Problem.Status);

        // After the first month, too late to extend.
        var late = new AccessRequest();
        late.Apply(recorded);
        Assert.Equal(409, Assert.Throws<ProblemException>(() =>
            ExtendAccessRequestUseCase.Decide(late, new ExtendAccessRequest("complexite"), Guid.NewGuid(), now.AddDays(20))).Problem.Status);

        // Answered once.
        state.Apply(AnswerRecordedAccessRequestUseCase.Decide(state, Guid.NewGuid(), now));
        Assert.True(state.Answered);
        Assert.Equal(409, Assert.Throws<ProblemException>(() => AnswerRecordedAccessRequestUseCase.Decide(state, Guid.NewGuid(), now)).Problem.Status);
        Assert.Equal(409, Assert.Throws<ProblemException>(() => ExtendAccessRequestUseCase.Decide(state, new ExtendAccessRequest("nombre-de-demandes"), Guid.NewGuid(), now)).Problem.Status);
    }

    [Fact]
    public void The_register_lists_open_requests_overdue_first_and_counts_days_with_the_clock_it_is_given()
    {
        AccessRequest Recorded(DateOnly receivedOn)
        {
            var r = new AccessRequest();
            r.Apply(RecordAccessRequestUseCase.Decide(Guid.CreateVersion7(), new RecordAccessRequest(receivedOn, "courrier"), Guid.NewGuid(), DateTimeOffset.UtcNow));
            return r;
        }
        var recent = Recorded(new DateOnly(2026, 3, 10));
        var old = Recorded(new DateOnly(2026, 2, 1));
        var answered = Recorded(new DateOnly(2026, 2, 2));
        answered.Apply(new AccessRequestAnswered(answered.Id, Guid.NewGuid(), DateTimeOffset.UtcNow));

        var list = AccessRequestsUseCase.Build([recent, old, answered], Policy, new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal([old.Id, recent.Id], list.Open.Select(l => l.RequestId));
        Assert.Equal(-14, list.Open[0].DaysLeft);
        Assert.True(list.Open[0].Overdue);
        Assert.Equal(26, list.Open[1].DaysLeft);
        Assert.Equal("Courrier postal", list.Open[1].Channel);
        Assert.Equal(answered.Id, Assert.Single(list.Answered).RequestId);
    }

    // ---- HTTP ----

    [Fact]
    public async Task Recording_stores_no_identity_and_answers_201_with_the_deadline_bad_input_is_400_and_writes_nothing()
    {
        var receivedOn = Today.AddDays(-3);
        var recorded = await AccessRequestSteps.RecordAsync(Service, Council, receivedOn, "courriel");
        Assert.Equal(receivedOn.AddMonths(1), recorded.DueOn);
        var list = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, Requests);
        var line = list.GetProperty("open").EnumerateArray().Single(l => l.GetProperty("requestId").GetGuid() == recorded.RequestId);
        Assert.Equal(recorded.Reference, line.GetProperty("reference").GetString());

        var before = await Service.EventCountAsync();
        var future = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, Requests,
            new { receivedOn = Today.AddDays(2), channel = "courrier" }), 400);
        Assert.True(future.GetProperty("errors").TryGetProperty("receivedOn", out _));
        var channel = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, Requests, new { receivedOn = Today, channel = "pigeon" }), 400);
        Assert.True(channel.GetProperty("errors").TryGetProperty("channel", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Requests}/{recorded.RequestId}/extension", new { reason = "parce-que" }), 400);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Only_the_coordonnateur_records_extends_and_answers_and_a_refused_answer_is_journalled()
    {
        var recorded = await AccessRequestSteps.RecordAsync(Service, Council);
        var before = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, Requests, new { receivedOn = Today, channel = "courrier" }), 403);
        await Answers.ProblemAsync(await Service.GetAsync(Council.Animateur, Requests), 403);
        await Answers.ProblemAsync(await Service.PostAsync(Council.President, $"{Requests}/{recorded.RequestId}/extension", new { reason = "complexite" }), 403);

        var journalBefore = (await Service.JournalAsync(Council.Code)).Count;
        var refused = await Answers.ProblemAsync(await Service.PostAsync(Council.MemberOfHoldingGroup, $"{Requests}/{recorded.RequestId}/answer",
            new { nom = "Personne", prenom = "Inconnue", dateNaissance = "2001-02-03" }), 403);
        Assert.Equal(JournalNotice.RequestRecorded, refused.GetProperty("notice").GetString());
        var entry = (await Service.JournalAsync(Council.Code)).Skip(journalBefore).Single();
        Assert.Equal((JournalActions.RightOfAccessExport, false), (entry.Action, entry.Granted));
        // Nothing but that journal entry was written, and the request is still open.
        Assert.Equal(before + 1, await Service.EventCountAsync());
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Requests}/{Guid.CreateVersion7()}/extension", new { reason = "complexite" }), 404);
    }

    [Fact]
    public async Task Extension_once_to_three_months_then_409_and_an_answered_request_answers_409()
    {
        var receivedOn = Today.AddDays(-5);
        var recorded = await AccessRequestSteps.RecordAsync(Service, Council, receivedOn);
        var extended = await Service.PostJsonAsync<AccessRequestExtendedResponse>(Council.Coordonnateur, $"{Requests}/{recorded.RequestId}/extension",
            new { reason = "nombre-de-demandes" });
        Assert.Equal(receivedOn.AddMonths(3), extended.DueOn);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Requests}/{recorded.RequestId}/extension", new { reason = "complexite" }), 409);

        // Received two months ago: too late to extend.
        var late = await AccessRequestSteps.RecordAsync(Service, Council, Today.AddMonths(-2));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Requests}/{late.RequestId}/extension", new { reason = "complexite" }), 409);

        var person = TestPerson.Distinctive("DemandeEnr");
        var (situation, pseudonym) = await Council.ReferAsync(Service, person, "Faits pour une demande enregistrée");
        var body = new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance };
        var document = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Requests}/{recorded.RequestId}/answer", body);
        Assert.Equal(pseudonym, Assert.Single(document.GetProperty("situations").EnumerateArray()).GetProperty("pseudonym").GetString());
        var export = (await Service.JournalAsync(Council.Code, situation)).Last();
        Assert.Equal((JournalActions.RightOfAccessExport, true), (export.Action, export.Granted));

        var journalBefore = (await Service.JournalAsync(Council.Code)).Count;
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Requests}/{recorded.RequestId}/answer", body), 409);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Requests}/{recorded.RequestId}/extension", new { reason = "complexite" }), 409);
        // The second answer was refused before any search: nothing more decrypted, nothing more journalled.
        Assert.Equal(journalBefore, (await Service.JournalAsync(Council.Code)).Count);
        var list = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, Requests);
        Assert.DoesNotContain(list.GetProperty("open").EnumerateArray(), l => l.GetProperty("requestId").GetGuid() == recorded.RequestId);
        Assert.Contains(list.GetProperty("answered").EnumerateArray(), l => l.GetProperty("requestId").GetGuid() == recorded.RequestId);
    }

    // ---- Pages and the "à faire" ----

    [Fact]
    public async Task The_pages_record_extend_and_answer_and_the_a_faire_line_comes_and_goes()
    {
        using var coordinator = await Service.PageClientAsync(Council.Coordonnateur);
        var register = $"/c/{Council.Code}/droit-acces/demandes";
        Assert.Contains("Enregistrer une demande reçue", await coordinator.GetStringAsync(register, Ct));

        // A refused form: 400, the field marked, nothing written.
        var before = await Service.EventCountAsync();
        var refused = await coordinator.PostAsync(register, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(coordinator, register),
            ["Input.ReceivedOn"] = Today.ToString("yyyy-MM-dd"), ["Input.Channel"] = "",
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Le canal de réception doit être choisi dans la liste de la charte.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(before, await Service.EventCountAsync());

        var receivedOn = Today.AddDays(-10);
        var saved = await coordinator.PostAsync(register, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(coordinator, register),
            ["Input.ReceivedOn"] = receivedOn.ToString("yyyy-MM-dd"), ["Input.Channel"] = "guichet",
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var detail = saved.Headers.Location!.OriginalString;
        var requestId = Guid.Parse(detail[(detail.LastIndexOf('/') + 1)..]);
        var detailHtml = WebUtility.HtmlDecode(await coordinator.GetStringAsync(detail, Ct));
        Assert.Contains("enregistrée : réponse due au plus tard le " + CaseExchange.Web.Display.Date(receivedOn.AddMonths(1)), detailHtml);
        var daysLeft = AccessRequestDeadlines.DaysLeft(receivedOn.AddMonths(1), Today);
        Assert.Contains(AccessRequestDeadlines.DaysLeftText(daysLeft), detailHtml);
        Assert.Contains("Prolonger le délai de deux mois", detailHtml);

        // An older request, overdue: first on the "à faire", before the new one; the animateur does not see them.
        var overdue = await AccessRequestSteps.RecordAsync(Service, Council, Today.AddMonths(-1).AddDays(-4));
        var todo = await coordinator.GetStringAsync($"/c/{Council.Code}/a-faire", Ct);
        var section = Section(todo, ToDoKinds.AccessRequest);
        var newRef = (await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, Requests)).GetProperty("open").EnumerateArray()
            .Single(l => l.GetProperty("requestId").GetGuid() == requestId).GetProperty("reference").GetString()!;
        Assert.True(section.IndexOf(overdue.Reference, StringComparison.Ordinal) is var o && o >= 0 && o < section.IndexOf(newRef, StringComparison.Ordinal));
        Assert.Contains("en retard de", section);
        Assert.Contains(AccessRequestDeadlines.DaysLeftText(daysLeft), section);
        Assert.Contains($"href=\"/c/{Council.Code}/droit-acces/demandes/{requestId}\"", section);
        using var animateur = await Service.PageClientAsync(Council.Animateur);
        Assert.DoesNotContain(newRef, await animateur.GetStringAsync($"/c/{Council.Code}/a-faire", Ct));

        // Extension through the page: a bad reason comes back as a 400 form, a good one moves the due day.
        var badExtension = await coordinator.PostAsync($"{detail}?handler=Prolonger", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(coordinator, detail), ["Extension.Reason"] = "",
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badExtension.StatusCode);
        var extension = await coordinator.PostAsync($"{detail}?handler=Prolonger", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(coordinator, detail), ["Extension.Reason"] = "complexite",
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, extension.StatusCode);
        var extendedHtml = WebUtility.HtmlDecode(await coordinator.GetStringAsync(detail, Ct));
        Assert.Contains(CaseExchange.Web.Display.Date(receivedOn.AddMonths(3)), extendedHtml);
        Assert.DoesNotContain("Prolonger le délai de deux mois", extendedHtml);

        // The answer through the page: the document, and the line leaves the "à faire".
        var person = TestPerson.Distinctive("DemandePage");
        var (_, pseudonym) = await Council.ReferAsync(Service, person, "Faits pour la page de la demande");
        var answered = await coordinator.PostAsync(detail, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(coordinator, detail),
            ["Input.Nom"] = person.Nom, ["Input.Prenom"] = person.Prenom, ["Input.DateNaissance"] = person.DateNaissance.ToString("yyyy-MM-dd"),
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var answeredHtml = WebUtility.HtmlDecode(await answered.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Demande close.", answeredHtml);
        Assert.Contains($"Situation {pseudonym}", answeredHtml);
        var after = Section(await coordinator.GetStringAsync($"/c/{Council.Code}/a-faire", Ct), ToDoKinds.AccessRequest);
        Assert.DoesNotContain(newRef, after);
        Assert.Contains(overdue.Reference, after);
        // The register keeps the request, without the identity typed for the answer.
        var registerHtml = WebUtility.HtmlDecode(await coordinator.GetStringAsync(register, Ct));
        Assert.Contains($"{newRef} — reçue le", registerHtml);
        Assert.DoesNotContain(person.Nom, registerHtml);
        Assert.DoesNotContain(person.Nom, WebUtility.HtmlDecode(await coordinator.GetStringAsync(detail, Ct)));
    }

    [Fact]
    public async Task Days_left_come_from_the_councils_clock()
    {
        var recorded = await AccessRequestSteps.RecordAsync(Service, Council, Today);
        // The same database, seen by a service whose clock stands 40 days on: the request is 9 or 10 days overdue, per that clock.
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(40));
        await using var laterService = await TestService.StartAsync(Service.ConnectionString, later,
            new Dictionary<string, string?> { ["Retention:Enabled"] = "false" });
        using var coordinator = await laterService.PageClientAsync(Council.Coordonnateur);
        var section = Section(await coordinator.GetStringAsync($"/c/{Council.Code}/a-faire", Ct), ToDoKinds.AccessRequest);
        var expected = AccessRequestDeadlines.DaysLeft(recorded.DueOn, AccessRequestDeadlines.TodayAt(later.GetUtcNow()));
        Assert.True(expected < 0);
        Assert.Contains($"{recorded.Reference}</strong> — reçue le", section);
        Assert.Contains(AccessRequestDeadlines.DaysLeftText(expected), section);
        var register = WebUtility.HtmlDecode(await coordinator.GetStringAsync($"/c/{Council.Code}/droit-acces/demandes", Ct));
        Assert.Contains(AccessRequestDeadlines.DaysLeftText(expected), register);
    }
}
