using System.Net;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Seances;

public sealed class SeancePageFixture : SeanceCouncilFixture;

/// <summary>The séance page offers attendance and closure only when the use cases would accept them, and a refused form keeps what was typed.</summary>
public sealed class SeancePageTests(SeancePageFixture fixture) : IClassFixture<SeancePageFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    private const string AttendanceButton = ">Enregistrer la présence</button>";
    private const string ClosureButton = ">Clore la séance</button>";

    private async Task<string> PageAsync(HttpClient client, Guid seanceId)
    {
        var response = await client.GetAsync($"/c/{Council.Code}/seances/{seanceId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Attendance_and_closure_are_offered_only_once_possible()
    {
        using var client = await Service.PageClientAsync(Council.Coordonnateur);

        var future = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var page = await PageAsync(client, future);
        Assert.DoesNotContain(AttendanceButton, page);
        Assert.DoesNotContain(ClosureButton, page);
        Assert.Contains("La présence s'enregistre le jour de la séance ou après.", page);

        var today = await Steps.ScheduleAsync(DateTimeOffset.UtcNow);
        page = await PageAsync(client, today);
        Assert.Contains(AttendanceButton, page);
        Assert.DoesNotContain(ClosureButton, page);
        Assert.Contains("Enregistrez la présence des participants avant de clore la séance", page);

        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(today, [Council.Animateur]), 200);
        page = await PageAsync(client, today);
        Assert.Contains(ClosureButton, page);
        Assert.DoesNotContain("Reporter la séance", page);

        await Answers.ExpectAsync(await Steps.CloseAsync(today), 200);
        page = await PageAsync(client, today);
        Assert.DoesNotContain(AttendanceButton, page);
        Assert.DoesNotContain(ClosureButton, page);
        Assert.Contains("compte rendu anonymisé", page);
    }

    [Fact]
    public async Task A_refused_attendance_keeps_every_choice_typed()
    {
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow);
        var partner = await Steps.PartnerAsync("Association de quartier", "mediateur");
        var pageUrl = $"/c/{Council.Code}/seances/{seanceId}";
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var (animateur, unsigned) = (Council.Id(Council.Animateur), Council.Id(Council.UnsignedMember));
        var refused = await client.PostAsync($"{pageUrl}?handler=Presence", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl),
            [$"Attendance.Presence[{animateur}]"] = "nominative",
            [$"Attendance.Presence[{unsigned}]"] = "nominative",
            ["Attendance.Guests[0].PartnerId"] = partner.ToString(),
            ["Attendance.ExpectedVersion"] = "1",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("n'a pas signé la charte en vigueur", WebUtility.HtmlDecode(body));
        // What was typed is still chosen: both members at the nominative part, the guest in the first block.
        Assert.Matches($"id=\"[^\"]*{animateur}[^\"]*-nominative\"[^>]*checked|checked[^>]*id=\"[^\"]*{animateur}[^\"]*-nominative\"", body);
        Assert.Matches($"id=\"[^\"]*{unsigned}[^\"]*-nominative\"[^>]*checked|checked[^>]*id=\"[^\"]*{unsigned}[^\"]*-nominative\"", body);
        Assert.Matches($"<option selected=\"selected\" value=\"{partner}\"|<option value=\"{partner}\" selected=\"selected\"", body);
        // The other forms of the page still carry the version, so they can be sent right after.
        Assert.Contains("name=\"Move.ExpectedVersion\" value=\"1\"", body);
    }

    [Fact]
    public async Task A_refused_place_keeps_what_was_typed()
    {
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var pageUrl = $"/c/{Council.Code}/seances/{seanceId}";
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var typed = "Salle " + new string('x', 130);
        var refused = await client.PostAsync($"{pageUrl}?handler=Lieu", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl),
            ["Planning.Place"] = typed, ["Planning.ExpectedVersion"] = "1",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains(typed, body);
        Assert.Contains("ne doit pas dépasser 120 caractères", body);
    }
}
