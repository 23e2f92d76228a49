using CaseExchange.Hosting;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CaseExchange.Http;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Boundary;

public sealed class BoundaryFixture : CouncilFixture
{
    public Guid Situation { get; private set; }

    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        Situation = (await Council.ReferAsync(service, TestPerson.Distinctive("Borne"), "Faits fictifs Borne")).Id;
    }
}

/// <summary>
/// Issue 13, defects 5, 6, 8 and 9: one boundary rule for every input (control characters, null bodies, null list
/// elements, the nil GUID), answers that never repeat the value and are French, and the headers of every API answer.
/// </summary>
public sealed class InputBoundaryTests(BoundaryFixture fixture) : IClassFixture<BoundaryFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private const string Marker = "Zorglubovitch";

    private async Task<HttpResponseMessage> SendRawAsync(string? subject, HttpMethod method, string url, string? json, string? token = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (subject is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Service.TokenAsync(subject));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await Service.Client.SendAsync(request);
    }

    private static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, int status, string? type = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.DoesNotContain(Marker, body);
        Assert.DoesNotContain("Query string", body);
        var problem = JsonDocument.Parse(body).RootElement;
        if (type is not null) Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.DoesNotContain(problem.GetProperty("title").GetString()!, new[] { "Bad Request", "Invalid JSON format", "Invalid query string value" });
        return problem;
    }

    public static TheoryData<string> ControlCharacters() => ["\u0000", "\u0001", "\u001b", "\u001f", "\u0008"];

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task A_control_character_in_a_JSON_string_is_refused_with_a_French_400_and_changes_nothing(string control)
    {
        var before = await Service.EventCountAsync();
        var json = JsonSerializer.Serialize(new { name = $"GT {Marker}{control}", kind = "thematique" });
        var problem = await RefusedAsync(await SendRawAsync(Council.Coordonnateur, HttpMethod.Post, $"{Council.Api}/groups", json), 400,
            BoundaryRefusal.ControlCharacterType);
        Assert.Equal("Caractère de contrôle refusé", problem.GetProperty("title").GetString());
        // In a property name too, and in a file opening's purpose (a batch query with the member lookup).
        await RefusedAsync(await SendRawAsync(Council.Coordonnateur, HttpMethod.Post, $"{Council.Api}/groups",
            $"{{\"name{JsonEncodedText.Encode(control)}\": \"GT\", \"kind\": \"thematique\"}}"), 400, BoundaryRefusal.ControlCharacterType);
        await RefusedAsync(await SendRawAsync(Council.MemberOfHoldingGroup, HttpMethod.Post, $"{Council.Api}/situations/{fixture.Situation}/file-openings",
            JsonSerializer.Serialize(new { purpose = "suivi" + control })), 400, BoundaryRefusal.ControlCharacterType);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Tab_CR_and_LF_are_text_not_control()
    {
        var response = await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/groups",
            new { name = $"GT\tavec\r\nretours {Guid.NewGuid():N}"[..40], kind = "thematique" });
        await Answers.ExpectAsync(response, 201);
    }

    [Fact]
    public async Task A_control_character_in_a_query_value_a_route_value_or_a_token_subject_is_refused()
    {
        await RefusedAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym=S-{Marker}%00"), 400,
            BoundaryRefusal.ControlCharacterType);
        await RefusedAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/export?pseudonym=%01"), 400,
            BoundaryRefusal.ControlCharacterType);
        // (A NUL in the path is refused by ASP.NET Core itself, before the service.)
        await RefusedAsync(await Service.GetAsync(Council.Coordonnateur, $"/api/councils/{Council.Code}%01/groups"), 400,
            BoundaryRefusal.ControlCharacterType);
        var token = Service.Services.GetRequiredService<DevelopmentSignIn>().IssueToken($"{Marker}\u0000sujet", TimeSpan.FromMinutes(5));
        await RefusedAsync(await SendRawAsync(null, HttpMethod.Get, $"{Council.Api}/groups", null, token), 400, BoundaryRefusal.ControlCharacterType);
        // The development token issuer refuses to make such a token in the first place.
        await RefusedAsync(await SendRawAsync(null, HttpMethod.Post, "/dev/tokens", "{\"subject\": \"a\\u0000b\"}"), 400,
            BoundaryRefusal.ControlCharacterType);
    }

    [Fact]
    public async Task A_control_character_in_a_form_post_is_refused_with_the_French_error_page()
    {
        var client = await Service.PageClientAsync(null);
        var token = await Pages.AntiforgeryTokenAsync(client, "/connexion");
        var response = await client.PostAsync("/connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Subject"] = $"{Marker}\u0001", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Caractère de contrôle refusé", html);
        Assert.DoesNotContain(Marker, html);
    }

    /// <summary>
    /// A NUL sent to PostgreSQL inside a batch query left pooled connections wrong about their prepared statements (Npgsql's
    /// automatic preparation): later, innocent requests of other members failed with 500. NUL now never reaches the
    /// database; this holds it: NUL requests of every kind interleaved with innocent ones, 0 × 5xx.
    /// </summary>
    [Fact]
    public async Task Many_NUL_requests_interleaved_with_innocent_ones_give_no_5xx()
    {
        var nulToken = Service.Services.GetRequiredService<DevelopmentSignIn>().IssueToken("nul\u0000sujet", TimeSpan.FromMinutes(5));
        var opening = $"{Council.Api}/situations/{fixture.Situation}/file-openings";
        var statuses = new System.Collections.Concurrent.ConcurrentBag<(string Kind, int Status)>();
        async Task Nul(int i)
        {
            var response = (i % 4) switch
            {
                0 => await SendRawAsync(null, HttpMethod.Get, $"{Council.Api}/groups", null, nulToken),
                1 => await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym=S%00X"),
                2 => await SendRawAsync(Council.MemberOfHoldingGroup, HttpMethod.Post, opening, "{\"purpose\": \"suivi\\u0000\"}"),
                _ => await SendRawAsync(Council.Coordonnateur, HttpMethod.Post, $"{Council.Api}/access-requests",
                    "{\"nom\": \"A\\u0000\", \"prenom\": \"B\", \"dateNaissance\": \"2001-02-03\"}"),
            };
            statuses.Add(("nul", (int)response.StatusCode));
        }
        async Task Innocent(int i)
        {
            var response = i % 2 == 0
                ? await Service.GetAsync(Council.MemberOfOtherGroup, $"{Council.Api}/groups")
                : await Service.PostAsync(Council.MemberOfHoldingGroup, opening, new { purpose = "suivi" });
            statuses.Add(("innocent", (int)response.StatusCode));
        }
        await Task.WhenAll(Enumerable.Range(0, 160).Select(i => Task.Run(() => i % 2 == 0 ? Nul(i / 2) : Innocent(i / 2))));

        Assert.Equal(160, statuses.Count);
        Assert.DoesNotContain(statuses, s => s.Status >= 500);
        Assert.All(statuses.Where(s => s.Kind == "nul"), s => Assert.Equal(400, s.Status));
        Assert.All(statuses.Where(s => s.Kind == "innocent"), s => Assert.Equal(200, s.Status));
    }

    [Fact]
    public async Task A_null_or_empty_body_is_a_400_on_every_kind_of_write()
    {
        var before = await Service.EventCountAsync();
        await RefusedAsync(await SendRawAsync(Council.Coordonnateur, HttpMethod.Post, $"{Council.Api}/groups", "null"), 400, ProblemTypes.Validation);
        await RefusedAsync(await SendRawAsync(Council.Coordonnateur, HttpMethod.Post, $"{Council.Api}/groups", ""), 400, ProblemTypes.Validation);
        await RefusedAsync(await SendRawAsync(Council.Coordonnateur, HttpMethod.Put,
            $"{Council.Api}/groups/{Council.GroupA}/members/{Council.Id(Council.Animateur)}", "null"), 400, ProblemTypes.Validation);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_null_inside_a_list_is_a_400()
    {
        var before = await Service.EventCountAsync();
        var json = JsonSerializer.Serialize(new
        {
            groupId = Council.GroupA, reasons = new[] { "errance" }, sector = "nord", urgency = "normale",
            persons = new object?[] { null }, facts = "Faits",
        });
        await RefusedAsync(await SendRawAsync(Council.MemberOfHoldingGroup, HttpMethod.Post, $"{Council.Api}/situations", json), 400, ProblemTypes.Validation);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task An_empty_object_inside_a_list_of_an_otherwise_valid_request_is_a_400_not_a_500()
    {
        var steps = fixture.Steps;
        var (onAgenda, seance) = await steps.OnAgendaAsync();
        var examined = await steps.ExaminedAsync();
        var today = (await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups/{Council.GroupA}/seances",
            new { date = DateTimeOffset.UtcNow }, 201)).GetProperty("seanceId").GetGuid();
        var before = await Service.EventCountAsync();

        var cases = new (string Subject, HttpMethod Method, string Url, string Json)[]
        {
            (Council.MemberOfHoldingGroup, HttpMethod.Post, $"{Council.Api}/situations", JsonSerializer.Serialize(new
            {
                groupId = Council.GroupA, reasons = new[] { "errance" }, sector = "nord", urgency = "normale",
                persons = new object[] { TestPerson.Distinctive("Vide").AsRequest("personne-suivie"), new { } }, facts = "Faits",
            })),
            (Council.Coordonnateur, HttpMethod.Post, $"{Council.Api}/situations/{onAgenda}/examinations", JsonSerializer.Serialize(new
            {
                seanceId = seance, discussionSummary = "Résumé", expectedVersion = 2, decisions = new object[] { new { kind = "orientation" }, new { } },
            })),
            (Council.Coordonnateur, HttpMethod.Post, $"{Council.Api}/situations/{examined}/follow-up", JsonSerializer.Serialize(new
            {
                referentId = Council.Id(Council.Referent), expectedVersion = 3, actions = new object[] { new { } },
            })),
            (Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{today}/attendance", JsonSerializer.Serialize(new
            {
                nominativePart = new[] { Council.Id(Council.Animateur) }, guests = new object[] { new { } }, expectedVersion = 1,
            })),
        };
        foreach (var (subject, method, url, json) in cases)
            await RefusedAsync(await SendRawAsync(subject, method, url, json), 400);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Malformed_JSON_wrong_types_and_deep_nesting_are_French_400s_that_quote_nothing()
    {
        foreach (var json in new[]
                 {
                     $"{{\"name\": \"{Marker}", $"{{\"name\": {Marker}}}", $"{{\"name\": [\"{Marker}\"], \"kind\": 3}}",
                     new string('[', 500) + new string(']', 500), $"[\"{Marker}\"]",
                 })
        {
            var problem = await RefusedAsync(await SendRawAsync(Council.Coordonnateur, HttpMethod.Post, $"{Council.Api}/groups", json), 400,
                ProblemTypes.MalformedBody);
            Assert.False(problem.TryGetProperty("lineNumber", out _));
        }
    }

    [Fact]
    public async Task The_nil_GUID_in_a_write_route_is_a_404()
    {
        var before = await Service.EventCountAsync();
        await RefusedAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/groups/{Guid.Empty}/members",
            new { memberId = Council.Id(Council.Animateur), role = "membre" }), 404, ProblemTypes.NotFound);
        await RefusedAsync(await Service.PostAsync(Council.MemberOfHoldingGroup, $"{Council.Api}/situations/{Guid.Empty}/file-openings",
            new { purpose = "suivi" }), 404, ProblemTypes.NotFound);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Theory]
    [InlineData("page")]
    [InlineData("pageSize")]
    [InlineData("from")]
    [InlineData("memberId")]
    public async Task An_unparseable_query_value_is_a_French_400_that_does_not_repeat_it(string parameter)
    {
        var problem = await RefusedAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/entries?{parameter}={Marker}"), 400,
            ProblemTypes.InvalidQuery);
        Assert.Equal("Paramètre de requête invalide", problem.GetProperty("title").GetString());
        Assert.Contains(parameter, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unparseable_group_in_the_seances_query_is_a_French_400_too()
    {
        var response = await Service.GetAsync(Council.Coordonnateur, $"{Council.Api}/groups/{Council.GroupA}/seances?from={Marker}");
        if ((int)response.StatusCode != 200) await RefusedAsync(response, 400, ProblemTypes.InvalidQuery);
    }

    [Fact]
    public async Task API_answers_are_not_stored_nor_sniffed_files_and_errors_included()
    {
        var file = await Service.PostAsync(Council.MemberOfHoldingGroup, $"{Council.Api}/situations/{fixture.Situation}/file-openings", new { purpose = "suivi" });
        var csv = await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/export");
        var refused = await Service.GetAsync(Council.President, $"{Council.Api}/journal/entries");
        var missing = await Service.GetAsync(Council.Coordonnateur, $"{Council.Api}/situations/{Guid.NewGuid()}");
        var anonymous = await Service.GetAsync(null, $"{Council.Api}/groups");
        foreach (var (response, status) in new[] { (file, 200), (csv, 200), (refused, 403), (missing, 404), (anonymous, 401) })
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri}: Cache-Control {response.Headers.CacheControl}");
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public async Task HSTS_outside_Development_and_form_action_self_in_the_pages_policy()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Host = "clspd.exemple.fr";
        var response = await Service.Client.SendAsync(request);
        Assert.StartsWith("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));

        var page = await (await Service.PageClientAsync(null)).GetAsync("/connexion");
        Assert.Contains("form-action 'self'", Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
    }
}
