using System.Net;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Councils;

public sealed class CommunesPageFixture : CouncilFixture;

/// <summary>
/// « Communes et maires », the coordonnateur's page of an intercommunal council: the same use cases as the API (a sector's
/// commune, a commune's maire); a refused form is shown again with what was chosen, and nothing is written.
/// </summary>
public sealed class CommunesPageTests(CommunesPageFixture fixture) : IClassFixture<CommunesPageFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private string Url => $"/c/{Council.Code}/communes";

    [Fact]
    public async Task A_sectors_commune_is_refused_blank_then_set_and_a_maire_designated_from_the_page()
    {
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var token = await Pages.AntiforgeryTokenAsync(client, Url);
        Task<HttpResponseMessage> Post(string query, Dictionary<string, string> fields)
        {
            fields["__RequestVerificationToken"] = token;
            return client.PostAsync($"{Url}?{query}", new FormUrlEncodedContent(fields), Cancel);
        }

        var before = await Service.EventCountAsync();
        var blank = await Post("handler=Commune&sector=nord", new() { ["commune"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        var refused = WebUtility.HtmlDecode(await blank.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("Le nom de la commune est obligatoire.", refused);
        Assert.Contains("id=\"Commune_nord\"", refused);
        Assert.Equal(before, await Service.EventCountAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await Post("handler=Commune&sector=nord", new() { ["commune"] = "Valence" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Post("handler=Commune&sector=sud", new() { ["commune"] = "Bourg-lès-Valence" })).StatusCode);

        // No member chosen: refused, the commune chosen kept; a member of a group: the conflict page; nothing written.
        var candidate = await fixture.Steps.NewMemberAsync();
        before = await Service.EventCountAsync();
        var noMember = await Post("handler=Maire", new() { ["Maire.MemberId"] = "", ["Maire.Commune"] = "Valence" });
        Assert.Equal(HttpStatusCode.BadRequest, noMember.StatusCode);
        var kept = WebUtility.HtmlDecode(await noMember.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("Choisissez le membre à désigner.", kept);
        Assert.Contains("<option value=\"Valence\" selected=\"selected\">Valence</option>", kept);
        var groupMember = await Post("handler=Maire", new() { ["Maire.MemberId"] = Council.Id(Council.MemberOfHoldingGroup).ToString(), ["Maire.Commune"] = "Valence" });
        Assert.Equal(HttpStatusCode.Conflict, groupMember.StatusCode);
        Assert.Equal(before, await Service.EventCountAsync());

        var designated = await Post("handler=Maire", new() { ["Maire.MemberId"] = candidate.ToString(), ["Maire.Commune"] = "Valence" });
        Assert.Equal(HttpStatusCode.Redirect, designated.StatusCode);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(Url, Cancel));
        Assert.Contains("<th scope=\"row\">Valence</th>\n                    <td>Nouveau membre</td>", page.Replace("\r\n", "\n"));
        Assert.Contains("est désigné(e) maire de Valence", page);

        Assert.Equal(HttpStatusCode.Redirect, (await Post($"handler=FinMaire&memberId={candidate}", [])).StatusCode);
        Assert.Contains("<td>aucun</td>", WebUtility.HtmlDecode(await client.GetStringAsync(Url, Cancel)));
    }
}
