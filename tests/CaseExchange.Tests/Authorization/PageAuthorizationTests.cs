using System.Net;
using CaseExchange.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Authorization;

/// <summary>
/// Every page × every caller → the expected answer to opening it: 200, the French refusal page (403), the sign-in
/// redirect (302) for an anonymous visitor. A page added without a row here makes
/// <see cref="Every_page_of_the_service_is_in_the_matrix"/> fail. What a page's form does is decided by the use case it
/// calls, whose authorisation <see cref="AuthorizationMatrixTests"/> checks for every caller.
/// </summary>
public sealed class PageAuthorizationTests(MatrixFixture fixture) : IClassFixture<MatrixFixture>
{
    private const int Ok = 200, Redirect = 302, Forbidden = 403, NotFound = 404;

    public delegate Task<string> Arrange(MatrixFixture f);

    public sealed record Row(Arrange Arrange, IReadOnlyDictionary<Caller, int> Expected);

    private static readonly Caller[] Signed = [.. Enum.GetValues<Caller>().Where(c => c != Caller.Anonymous)];

    private static Row Allow(Arrange arrange, params Caller[] allowed) => new(arrange,
        Enum.GetValues<Caller>().ToDictionary(c => c, c => c == Caller.Anonymous ? Redirect : allowed.Contains(c) ? Ok : Forbidden));

    /// <summary>The same row, with other answers for some callers.</summary>
    private static Row Except(Row row, params (Caller Caller, int Status)[] exceptions) =>
        row with { Expected = row.Expected.ToDictionary(e => e.Key, e => exceptions.FirstOrDefault(x => x.Caller == e.Key) is { Status: > 0 } x ? x.Status : e.Value) };

    private static Row Everyone(Arrange arrange, int status) => new(arrange, Enum.GetValues<Caller>().ToDictionary(c => c, _ => status));

    private static readonly Caller[] CouncilMembers =
    [
        Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup, Caller.MemberOfOtherGroup, Caller.UnsignedMember,
        Caller.RemovedMember, Caller.Auditeur, Caller.President, Caller.Maire,
    ];

    private static readonly Caller[] AnonymisedReaders =
    [
        Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup, Caller.MemberOfOtherGroup, Caller.UnsignedMember, Caller.Auditeur,
    ];

    private static readonly Caller[] SignedAnonymisedReaders = [.. AnonymisedReaders.Where(c => c != Caller.UnsignedMember)];

    private static Arrange Page(string relative) => f => Task.FromResult($"/c/{f.Council.Code}{relative}");

    public static readonly IReadOnlyDictionary<string, Row> Matrix = new Dictionary<string, Row>
    {
        // Signed in, one council each: straight to it.
        ["/"] = Everyone(_ => Task.FromResult("/"), Redirect),
        ["/connexion"] = Everyone(_ => Task.FromResult("/connexion"), Ok),
        ["/deconnexion"] = Everyone(_ => Task.FromResult("/deconnexion"), Ok),
        ["/erreur/{code:int?}"] = Everyone(_ => Task.FromResult("/erreur/404"), NotFound),
        // The déclaration d'accessibilité is public (RGAA), linked from every page's footer.
        ["/accessibilite"] = Everyone(_ => Task.FromResult("/accessibilite"), Ok),

        ["/c/{council}"] = Allow(Page(""), CouncilMembers),
        ["/c/{council}/charte"] = Allow(Page("/charte"), CouncilMembers),
        ["/c/{council}/charte/version"] = Allow(Page("/charte/version"), Caller.Coordonnateur),
        ["/c/{council}/preferences"] = Allow(Page("/preferences"), CouncilMembers),
        // Need to know: a member reads the anonymised rows of their own groups, under the charter in force.
        ["/c/{council}/situations"] = Allow(Page("/situations"), SignedAnonymisedReaders),
        // Search: by pseudonym for the anonymised view's readers; the name search part only for members of a holding group.
        ["/c/{council}/recherche"] = Allow(Page("/recherche"), SignedAnonymisedReaders),
        ["/c/{council}/situations/{situationId:guid}"] = Except(Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ReferredAsync()}",
            SignedAnonymisedReaders), (Caller.MemberOfOtherGroup, NotFound)),
        // Closing a situation: lead-situations in the holding group (animateur of group A, coordonnateur), as the API.
        ["/c/{council}/situations/{situationId:guid}/cloture"] = Except(Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ExaminedAsync()}/cloture",
            Caller.Coordonnateur, Caller.Animateur), (Caller.MemberOfOtherGroup, NotFound)),
        // Transferring a situation: the same rule as its closure.
        ["/c/{council}/situations/{situationId:guid}/transfert"] = Except(Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ReferredAsync()}/transfert",
            Caller.Coordonnateur, Caller.Animateur), (Caller.MemberOfOtherGroup, NotFound)),
        // Informing the persons concerned: the same rule as the closure (leads of the holding group), as the API.
        ["/c/{council}/situations/{situationId:guid}/information"] = Except(Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ReferredAsync()}/information",
            Caller.Coordonnateur, Caller.Animateur), (Caller.MemberOfOtherGroup, NotFound)),
        // Rectification (RGPD, art. 16): ordered by the coordonnateur; additions: those who refer in the holding group, as the API.
        ["/c/{council}/situations/{situationId:guid}/rectification"] = Except(Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ReferredAsync()}/rectification",
            Caller.Coordonnateur), (Caller.MemberOfOtherGroup, NotFound)),
        ["/c/{council}/situations/{situationId:guid}/personnes/ajout"] = Except(Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ReferredAsync()}/personnes/ajout",
            Caller.Animateur, Caller.MemberOfHoldingGroup), (Caller.MemberOfOtherGroup, NotFound)),
        ["/c/{council}/situations/{situationId:guid}/faits/ajout"] = Except(Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ReferredAsync()}/faits/ajout",
            Caller.Animateur, Caller.MemberOfHoldingGroup), (Caller.MemberOfOtherGroup, NotFound)),
        // Ordering an erasure and answering a right of access: the coordonnateur only, as the API.
        ["/c/{council}/situations/{situationId:guid}/effacement"] = Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ReferredAsync()}/effacement",
            Caller.Coordonnateur),
        // Linking situations (a family, siblings): the coordonnateur, from the anonymised views, as the API.
        ["/c/{council}/situations/{situationId:guid}/liens"] = Allow(async f => $"/c/{f.Council.Code}/situations/{await f.Steps.ReferredAsync()}/liens",
            Caller.Coordonnateur),
        ["/c/{council}/droit-acces"] = Allow(Page("/droit-acces"), Caller.Coordonnateur),
        ["/c/{council}/droit-acces/demandes"] = Allow(Page("/droit-acces/demandes"), Caller.Coordonnateur),
        ["/c/{council}/droit-acces/demandes/{requestId:guid}"] = Allow(async f =>
            $"/c/{f.Council.Code}/droit-acces/demandes/{(await CaseExchange.Tests.Retention.AccessRequestSteps.RecordAsync(f.Service, f.Council)).RequestId}",
            Caller.Coordonnateur),
        // Members who may refer in one of their groups, under the charter (group B's member refers in group B).
        ["/c/{council}/import"] = Allow(Page("/import"), Caller.Coordonnateur),
        ["/c/{council}/situations/nouvelle"] = Allow(Page("/situations/nouvelle"),
            Caller.Animateur, Caller.MemberOfHoldingGroup, Caller.MemberOfOtherGroup),
        ["/c/{council}/suivis"] = Allow(Page("/suivis"), SignedAnonymisedReaders),
        // Recording a follow-up: the designated référent only (here the member of the holding group).
        ["/c/{council}/suivis/{situationId:guid}"] = Except(Allow(async f =>
            $"/c/{f.Council.Code}/suivis/{(await f.Steps.FollowedUpAsync(f.Council.MemberOfHoldingGroup)).Situation}", Caller.MemberOfHoldingGroup),
            (Caller.MemberOfOtherGroup, NotFound)),
        ["/c/{council}/groupes"] = Allow(Page("/groupes"), Caller.Coordonnateur),
        ["/c/{council}/groupes/{groupId:guid}"] = Allow(f => Task.FromResult($"/c/{f.Council.Code}/groupes/{f.Council.GroupA}"), Caller.Coordonnateur),
        ["/c/{council}/membres"] = Allow(Page("/membres"), Caller.Coordonnateur),
        ["/c/{council}/partenaires"] = Allow(Page("/partenaires"), Caller.Coordonnateur),
        // An intercommunal council's communes and maires: the coordonnateur, as the API.
        ["/c/{council}/communes"] = Allow(Page("/communes"), Caller.Coordonnateur),

        // Séances: those who prepare them under the charter, the coordonnateur (council) and group A's animateur.
        ["/c/{council}/seances"] = Allow(Page("/seances"), Caller.Coordonnateur, Caller.Animateur),
        ["/c/{council}/a-faire"] = Allow(Page("/a-faire"), Caller.Coordonnateur, Caller.Animateur),
        // Need to know: another group's séance or situation is as unknown as one that does not exist.
        ["/c/{council}/seances/{seanceId:guid}"] = Except(Allow(async f => $"/c/{f.Council.Code}/seances/{await f.Steps.NewSeanceAsync()}",
            Caller.Coordonnateur, Caller.Animateur), (Caller.MemberOfOtherGroup, NotFound)),
        // Examining a situation of the ODJ and assigning its follow-up: lead-situations in the holding group.
        ["/c/{council}/seances/{seanceId:guid}/situations/{situationId:guid}"] = Except(Allow(async f =>
        {
            var (situation, seance) = await f.Steps.OnAgendaAsync();
            return $"/c/{f.Council.Code}/seances/{seance}/situations/{situation}";
        }, Caller.Coordonnateur, Caller.Animateur), (Caller.MemberOfOtherGroup, NotFound)),
        // The CR goes to the group's members under the charter, and to the coordonnateur who establishes it (as the API).
        ["/c/{council}/seances/{seanceId:guid}/compte-rendu"] = Allow(async f => $"/c/{f.Council.Code}/seances/{await f.Steps.NewSeanceAsync()}/compte-rendu",
            Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup),
        // Plenary statistics: the coordonnateur and the président only.
        ["/c/{council}/statistiques"] = Allow(Page("/statistiques"), Caller.Coordonnateur, Caller.President, Caller.Maire),
        // The access journal: the auditeur only.
        ["/c/{council}/journal"] = Allow(Page("/journal"), Caller.Auditeur),
        ["/c/{council}/journal/verification"] = Allow(Page("/journal/verification"), Caller.Auditeur),
        ["/c/{council}/journal/scellements"] = Allow(Page("/journal/scellements"), Caller.Auditeur),
        ["/c/{council}/journal/alertes"] = Allow(Page("/journal/alertes"), Caller.Auditeur),
        ["/c/{council}/journal/rapport-annuel"] = Allow(Page("/journal/rapport-annuel"), Caller.Auditeur),
        ["/c/{council}/journal/actes-administratifs"] = Allow(Page("/journal/actes-administratifs"), Caller.Auditeur),
        // Each member's own traces in the journal.
        ["/c/{council}/mes-traces"] = Allow(Page("/mes-traces"), CouncilMembers),
    };

    public static TheoryData<string> Rows() => [.. Matrix.Keys];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_caller_gets_the_expected_page(string route)
    {
        var row = Matrix[route];
        var url = await row.Arrange(fixture);
        var failures = new List<string>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            using var client = await fixture.Service.PageClientAsync(fixture.SubjectOf(caller));
            var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            var expected = row.Expected[caller];
            if ((int)response.StatusCode != expected)
                failures.Add($"{caller}: expected {expected}, got {(int)response.StatusCode}");
            else if (caller == Caller.Anonymous && expected == Redirect && response.Headers.Location?.OriginalString.Contains("/connexion") != true)
                failures.Add($"{caller}: redirected to {response.Headers.Location}, not to the sign-in page");
            else if (expected == Forbidden && !body.Contains("<h1>Accès refusé</h1>"))
                failures.Add($"{caller}: the refusal is not the French refusal page");
        }
        Assert.True(failures.Count == 0, $"{route} ({url})\n{string.Join("\n", failures)}");
    }

    /// <summary>
    /// The séance page's own actions (issue 15: place, rescheduling, cancellation, convocation, invitations, general part;
    /// the convocation and émargement downloads): those who prepare the séance reach the use case (an empty form is a 400,
    /// a download a 200), another group's member gets 404, everyone else the refusal page, an anonymous visitor the sign-in.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (HttpMethod Method, string Handler, int Allowed)> SeanceActions =
        new Dictionary<string, (HttpMethod, string, int)>
        {
            ["Lieu"] = (HttpMethod.Post, "Lieu", 400),
            ["Reporter"] = (HttpMethod.Post, "Reporter", 400),
            ["Annuler"] = (HttpMethod.Post, "Annuler", 400),
            ["Convoquer"] = (HttpMethod.Post, "Convoquer", 400),
            ["Inviter"] = (HttpMethod.Post, "Inviter", 400),
            ["Point"] = (HttpMethod.Post, "Point", 400),
            ["Convocation"] = (HttpMethod.Get, "Convocation&number=1&format=docx", Ok),
            ["Emargement"] = (HttpMethod.Get, "Emargement&format=html", Ok),
        };

    public static TheoryData<string> SeanceActionRows() => [.. SeanceActions.Keys];

    [Theory]
    [MemberData(nameof(SeanceActionRows))]
    public async Task Each_caller_gets_the_expected_answer_to_a_seance_page_action(string action)
    {
        var (method, handler, allowed) = SeanceActions[action];
        var api = $"/api/councils/{fixture.Council.Code}";
        var seance = await fixture.Steps.NewSeanceAsync();
        await Answers.ExpectAsync(await fixture.Service.SendAsync(fixture.Council.Coordonnateur, HttpMethod.Put, $"{api}/seances/{seance}/place",
            new { place = "Mairie, salle du conseil", expectedVersion = 1 }), 200);
        await Answers.ExpectAsync(await fixture.Service.PostAsync(fixture.Council.Coordonnateur, $"{api}/seances/{seance}/convocations",
            new { urgent = true, expectedVersion = 2 }), 201);
        var url = $"/c/{fixture.Council.Code}/seances/{seance}?handler={handler}";
        var failures = new List<string>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            using var client = await fixture.Service.PageClientAsync(fixture.SubjectOf(caller));
            HttpResponseMessage response;
            if (method == HttpMethod.Get) response = await client.GetAsync(url);
            else
            {
                var form = new Dictionary<string, string>();
                if (caller != Caller.Anonymous) form["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, "/deconnexion");
                response = await client.PostAsync(url, new FormUrlEncodedContent(form));
            }
            var expected = caller switch
            {
                Caller.Anonymous => Redirect,
                Caller.Coordonnateur or Caller.Animateur => allowed,
                Caller.MemberOfOtherGroup => NotFound,
                _ => Forbidden,
            };
            if ((int)response.StatusCode != expected) failures.Add($"{caller}: expected {expected}, got {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, $"{action} ({url})\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void Every_page_of_the_service_is_in_the_matrix()
    {
        var pages = fixture.Service.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .ToList();
        var missing = pages.Except(Matrix.Keys).ToList();
        var stale = Matrix.Keys.Except(pages).ToList();
        Assert.True(missing.Count == 0, "Pages without a row in the page authorisation matrix:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Matrix rows for pages that no longer exist:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task A_form_posted_without_a_session_goes_to_sign_in_and_changes_nothing()
    {
        using var anonymous = await fixture.Service.PageClientAsync(null);
        var before = await fixture.Service.EventCountAsync();
        var response = await anonymous.PostAsync($"/c/{fixture.Council.Code}/membres",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Subject"] = "intrus", ["Input.DisplayName"] = "Intrus" }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/connexion", response.Headers.Location!.OriginalString);
        Assert.Equal(before, await fixture.Service.EventCountAsync());
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_with_a_French_page_and_changes_nothing()
    {
        using var coordinator = await fixture.Service.PageClientAsync(fixture.Council.Coordonnateur);
        var before = await fixture.Service.EventCountAsync();
        var response = await coordinator.PostAsync($"/c/{fixture.Council.Code}/membres", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Subject"] = "forge", ["Input.DisplayName"] = "Forgé", ["Input.Organisation"] = "O", ["Input.Function"] = "F",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("La demande n'a pas pu être traitée", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(before, await fixture.Service.EventCountAsync());
    }

    [Fact]
    public async Task The_API_does_not_accept_the_session_cookie()
    {
        using var member = await fixture.Service.PageClientAsync(fixture.Council.MemberOfHoldingGroup);
        var response = await member.GetAsync($"{fixture.Council.Api}/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
