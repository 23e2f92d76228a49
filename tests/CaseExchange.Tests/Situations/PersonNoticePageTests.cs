using System.Net;
using CaseExchange.Councils.ToDo;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Situations;

public sealed class PersonNoticePageFixture : CouncilFixture;

/// <summary>The information page (persons by role, never by name) and the « À faire » line that goes once the person is informed.</summary>
public sealed class PersonNoticePageTests(PersonNoticePageFixture fixture) : IClassFixture<PersonNoticePageFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private static string Section(string html, string kind)
    {
        var start = html.IndexOf($"<section class=\"todo\" id=\"{kind}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section {kind}");
        return WebUtility.HtmlDecode(html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task The_todo_line_appears_then_disappears_once_the_person_is_informed_through_the_page()
    {
        var person = TestPerson.Distinctive("Avis");
        var referred = await Council.ReferAsync(Service, person, "Faits fictifs Avis");
        using var coordinator = await Service.PageClientAsync(Council.Coordonnateur);
        var before = Section(await coordinator.GetStringAsync($"/c/{Council.Code}/a-faire"), ToDoKinds.PendingNotice);
        Assert.Contains(referred.Pseudonym, before);
        Assert.Contains($"/c/{Council.Code}/situations/{referred.Id}/information", before);

        using var animateur = await Service.PageClientAsync(Council.Animateur);
        Assert.Contains($"/c/{Council.Code}/situations/{referred.Id}/information",
            await animateur.GetStringAsync($"/c/{Council.Code}/situations/{referred.Id}"));
        var url = $"/c/{Council.Code}/situations/{referred.Id}/information";
        var page = await animateur.GetStringAsync(url);
        Assert.Contains("personne suivie", page);
        Assert.DoesNotContain(person.Nom, page);
        Assert.DoesNotContain(person.Prenom, WebUtility.HtmlDecode(page));

        var letter = await animateur.GetAsync($"{url}?handler=Letter&format=docx");
        Assert.Equal(HttpStatusCode.OK, letter.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", letter.Content.Headers.ContentType?.MediaType);

        var personId = await Service.FirstPersonAsync(Council, referred.Id);
        var posted = await animateur.PostAsync($"{url}?handler=Inform", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(animateur, url),
            ["Input.PersonId"] = personId.ToString(),
            ["Input.InformedOn"] = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"),
            ["Input.Means"] = "entretien",
            ["Input.ExpectedVersion"] = referred.Version.ToString(),
        }));
        Assert.True(posted.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found, $"{posted.StatusCode}");
        Assert.Contains("Informée le", await animateur.GetStringAsync(url));
        Assert.Contains("(entretien)", await animateur.GetStringAsync(url));

        var after = Section(await coordinator.GetStringAsync($"/c/{Council.Code}/a-faire"), ToDoKinds.PendingNotice);
        Assert.DoesNotContain(referred.Pseudonym, after);
    }
}
