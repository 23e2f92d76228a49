using System.Net;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;
using CaseExchange.Web;

namespace CaseExchange.Tests.Web;

public sealed class FormRefusalPageFixture : CouncilFixture;

/// <summary>
/// A form refused as a whole (409: an action the current state refuses, a stale version) comes back as the same page,
/// with a 409 status, what was typed, and the problem's title and detail in the form's summary (<c>role="alert"</c>);
/// nothing is written. The error page is no longer shown for these.
/// </summary>
public sealed class FormRefusalPageTests(FormRefusalPageFixture fixture) : IClassFixture<FormRefusalPageFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Selected(string value) =>
        $"<option[^>]*selected=\"selected\"[^>]*value=\"{value}\"|<option[^>]*value=\"{value}\"[^>]*selected=\"selected\"";

    /// <summary>The form's summary: the alert with the problem's title, then its detail; never the error page.</summary>
    private static string AssertRefusedForm(string html, string title, string detail)
    {
        var decoded = WebUtility.HtmlDecode(html);
        Assert.Contains("<div class=\"error-summary\" role=\"alert\"", decoded);
        Assert.Contains($"{title} ; rien n'a été enregistré</h2>", decoded);
        Assert.Contains(detail, decoded);
        Assert.DoesNotContain("Que faire ?", decoded);
        return decoded;
    }

    /// <summary>Posts the page's form (its antiforgery token added) and expects it back refused: 409, and the form's summary.</summary>
    private static async Task<string> PostRefusedAsync(HttpClient client, string page, string? handler, Dictionary<string, string> fields,
        string title, string detail)
    {
        fields["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, page);
        var refused = await client.PostAsync(handler is null ? page : $"{page}?handler={handler}", new FormUrlEncodedContent(fields), Cancel);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        return AssertRefusedForm(await refused.Content.ReadAsStringAsync(Cancel), title, detail);
    }

    [Fact]
    public async Task A_second_chair_on_the_groups_page_keeps_the_form_with_the_reason()
    {
        var candidate = await fixture.Steps.NewMemberAsync();
        var url = $"/c/{Council.Code}/groupes/{Council.GroupA}";
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var before = await Service.NonJournalEventCountAsync();

        var html = await PostRefusedAsync(client, url, "Ajouter", new Dictionary<string, string>
        {
            ["Input.MemberId"] = candidate.ToString(),
            ["Input.Role"] = "animateur",
        }, "Action impossible dans l'état actuel",
            "Cette instance a déjà sa présidence");
        Assert.Contains("<form method=\"post\" class=\"form\" action=\"" + url + "?handler=Ajouter\"", html);
        Assert.Matches(Selected(candidate.ToString()), html);
        Assert.Matches(Selected("animateur"), html);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_closure_on_a_stale_version_keeps_the_form_with_a_reload_link()
    {
        var situation = await fixture.Steps.ExaminedAsync();
        var url = $"/c/{Council.Code}/situations/{situation}/cloture";
        using var client = await Service.PageClientAsync(Council.Animateur);
        var before = await Service.NonJournalEventCountAsync();

        var html = await PostRefusedAsync(client, url, null, new Dictionary<string, string>
        {
            ["Input.Outcome"] = "relais-dispositif",
            ["Input.Comment"] = "Commentaire saisi Quiproquo",
            ["Input.ExpectedVersion"] = "2",
        }, "Modification concurrente",
            "Vous travailliez sur la version 2, mais la version actuelle est la 3");
        Assert.Contains($"<a href=\"{url}\">Recharger la page pour voir la version actuelle</a>", html);
        Assert.Contains("Commentaire saisi Quiproquo", html);
        Assert.Matches(Selected("relais-dispositif"), html);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_refusal_whose_form_the_new_state_hides_is_still_shown_once_at_the_top()
    {
        // Closed meanwhile (version 4): the closure form, sent on version 3, is refused and no longer offered.
        var situation = (await fixture.Steps.CloseAsync()).SituationId;
        var url = $"/c/{Council.Code}/situations/{situation}/cloture";
        using var client = await Service.PageClientAsync(Council.Animateur);
        var before = await Service.NonJournalEventCountAsync();

        var html = await PostRefusedAsync(client, url, null, new Dictionary<string, string>
        {
            ["Input.Outcome"] = "relais-dispositif",
            ["Input.ExpectedVersion"] = "3",
        }, "Modification concurrente",
            "Vous travailliez sur la version 3, mais la version actuelle est la 4");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "class=\"error-summary\""));
        Assert.DoesNotContain("name=\"Input.Outcome\"", html);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_seance_moved_to_its_own_date_keeps_the_form_with_the_reason()
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        var seanceId = await new SeanceSteps(Service, Council).ScheduleAsync(Display.At(day, new TimeOnly(14, 0)));
        var url = $"/c/{Council.Code}/seances/{seanceId}";
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var before = await Service.NonJournalEventCountAsync();

        var html = await PostRefusedAsync(client, url, "Reporter", new Dictionary<string, string>
        {
            ["Move.Date"] = day.ToString("yyyy-MM-dd"),
            ["Move.Time"] = "14:00",
            ["Move.Place"] = "Salle polyvalente B",
            ["Move.Reason"] = "calendrier",
            ["Move.ExpectedVersion"] = "1",
        }, "Action impossible dans l'état actuel",
            "La séance est déjà prévue à cette date.");
        Assert.Contains("value=\"Salle polyvalente B\"", html);
        Assert.Contains($"value=\"{day:yyyy-MM-dd}\"", html);
        Assert.Matches(Selected("calendrier"), html);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }
}
