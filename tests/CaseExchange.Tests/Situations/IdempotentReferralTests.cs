using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Charter;
using CaseExchange.Tests.Infrastructure;
using Npgsql;

namespace CaseExchange.Tests.Situations;

/// <summary>The service reaches PostgreSQL through a proxy that can cut a connection right after its COMMIT.</summary>
public sealed class IdempotentReferralFixture : IAsyncLifetime
{
    public CommitCuttingProxy Proxy { get; private set; } = null!;
    public TestService Service { get; private set; } = null!;
    public TestCouncil Council { get; private set; } = null!;
    public string DirectConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        DirectConnectionString = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("idempotence");
        Proxy = new CommitCuttingProxy(DirectConnectionString);
        Service = await TestService.StartAsync(Proxy.ConnectionString);
        Council = await TestCouncil.CreateAsync(Service, "idempotence");
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
        if (Proxy is not null) await Proxy.DisposeAsync();
    }
}

public sealed class IdempotentReferralTests(IdempotentReferralFixture fixture) : IClassFixture<IdempotentReferralFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private object Referral(string tag, Guid? id = null, string facts = "Faits fictifs") => new
    {
        id,
        groupId = Council.GroupA,
        reasons = new[] { "errance" },
        sector = "nord",
        urgency = "normale",
        persons = new[] { TestPerson.Distinctive(tag).AsRequest(PersonRoles.Followed) },
        facts,
    };

    private async Task<HttpResponseMessage> ReferAsync(object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Council.Api}/situations") { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Service.TokenAsync(Council.MemberOfHoldingGroup));
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await Service.Client.SendAsync(request);
    }

    private async Task<long> CountAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.DirectConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = id } } };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> SituationCountAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.DirectConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from caseexchange.mt_streams where type = 'situation'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_referral_whose_commit_answer_is_lost_gets_503_unknown_outcome_and_its_retry_returns_the_same_situation()
    {
        var id = Guid.CreateVersion7();
        var cut = fixture.Proxy.ArmFor(id);
        var before = await SituationCountAsync();

        var lost = await ReferAsync(Referral("Coupure", id));
        var status = (int)lost.StatusCode;
        Assert.True(await Task.WhenAny(cut, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)) == cut,
            $"The proxy never saw the referral's COMMIT (the referral answered {status}).");
        var problem = await Answers.ProblemAsync(lost, 503);
        Assert.Equal("urn:caseexchange:problem:unknown-outcome", problem.GetProperty("type").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("rien n'a été enregistré", detail);
        Assert.DoesNotContain("aucune modification", detail);
        Assert.Contains("même identifiant", detail);
        // The COMMIT did reach the database: the "failed" request recorded the referral.
        Assert.Equal(1, await CountAsync("select count(*) from caseexchange.mt_streams where id = $1", id));

        var retried = await ReferAsync(Referral("Coupure", id));
        await Answers.ExpectAsync(retried, 201);
        var created = await retried.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, created.GetProperty("situationId").GetGuid());
        Assert.Equal(before + 1, await SituationCountAsync());
        Assert.Equal(1, await CountAsync("select count(*) from caseexchange.mt_events where stream_id = $1", id));
    }

    [Fact]
    public async Task A_retry_with_the_same_id_returns_the_same_situation_and_pseudonym()
    {
        var id = Guid.CreateVersion7();
        var first = await (await ReferAsync(Referral("Double", id))).Content.ReadFromJsonAsync<JsonElement>();
        var before = await SituationCountAsync();
        var second = await ReferAsync(Referral("Double", id));
        await Answers.ExpectAsync(second, 201);
        var again = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("pseudonym").GetString(), again.GetProperty("pseudonym").GetString());
        Assert.Equal(id, again.GetProperty("situationId").GetGuid());
        Assert.Equal(before, await SituationCountAsync());
    }

    [Fact]
    public async Task The_Idempotency_Key_header_makes_a_retry_return_the_same_situation()
    {
        var key = $"cle-{Guid.NewGuid():N}";
        var first = await ReferAsync(Referral("Cle"), key);
        await Answers.ExpectAsync(first, 201);
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        var before = await SituationCountAsync();

        var again = await (await ReferAsync(Referral("Cle"), key)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(created.GetProperty("situationId").GetGuid(), again.GetProperty("situationId").GetGuid());
        Assert.Equal(created.GetProperty("pseudonym").GetString(), again.GetProperty("pseudonym").GetString());
        Assert.Equal(before, await SituationCountAsync());
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_refused_and_changes_nothing()
    {
        var key = $"cle-{Guid.NewGuid():N}";
        await Answers.ExpectAsync(await ReferAsync(Referral("Premiere"), key), 201);
        var events = await Service.EventCountAsync();

        var problem = await Answers.ProblemAsync(await ReferAsync(Referral("Autre", facts: "Autres faits"), key), 422);
        Assert.Equal("urn:caseexchange:problem:idempotency-key-reused", problem.GetProperty("type").GetString());
        Assert.DoesNotContain("Zorglubovitch", problem.ToString());
        Assert.Equal(events, await Service.EventCountAsync());

        var sameId = Guid.CreateVersion7();
        await Answers.ExpectAsync(await ReferAsync(Referral("Premiere", sameId)), 201);
        await Answers.ProblemAsync(await ReferAsync(Referral("Autre", sameId)), 422);
    }

    [Fact]
    public async Task The_referral_form_carries_its_id_so_that_submitting_it_twice_refers_once()
    {
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var form = $"/c/{Council.Code}/situations/nouvelle";
        var html = await member.GetStringAsync(form);
        var id = Regex.Match(html, "name=\"Input.Id\" value=\"([0-9a-f-]{36})\"");
        if (!id.Success) id = Regex.Match(html, "value=\"([0-9a-f-]{36})\"[^>]*name=\"Input.Id\"");
        Assert.True(id.Success, "The referral form has no hidden id.");
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Id"] = id.Groups[1].Value,
            ["Input.GroupId"] = Council.GroupA.ToString(),
            ["Input.Reasons"] = "errance",
            ["Input.Sector"] = "nord",
            ["Input.Urgency"] = "normale",
            ["Input.Persons[0].Role"] = "personne-suivie",
            ["Input.Persons[0].Nom"] = "ZorglubovitchFormulaire",
            ["Input.Persons[0].Prenom"] = "Philomène",
            ["Input.Persons[0].DateNaissance"] = "2010-01-02",
            ["Input.Facts"] = "Faits fictifs du formulaire",
        };
        var before = await SituationCountAsync();
        var first = await member.PostAsync(form, new FormUrlEncodedContent(fields));
        var second = await member.PostAsync(form, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Contains(id.Groups[1].Value, first.Headers.Location!.ToString());
        Assert.Equal(before + 1, await SituationCountAsync());
    }

    private async Task<HttpResponseMessage> PostWithKeyAsync(string subject, string url, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Service.TokenAsync(subject));
        request.Headers.Add("Idempotency-Key", key);
        return await Service.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("groups")]
    [InlineData("members")]
    [InlineData("seances")]
    public async Task Creating_a_group_a_member_or_a_seance_twice_with_one_key_creates_it_once(string what)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (url, body, other, idField) = what switch
        {
            "groups" => ($"{Council.Api}/groups", (object)new { name = $"GT {tag}", kind = "thematique" },
                (object)new { name = $"GT autre {tag}", kind = "thematique" }, "groupId"),
            "members" => ($"{Council.Api}/members", new { subject = $"idem.{tag}", displayName = "Membre", organisation = "Mairie", function = "Agent" },
                new { subject = $"idem.autre.{tag}", displayName = "Membre", organisation = "Mairie", function = "Agent" }, "memberId"),
            _ => ($"{Council.Api}/groups/{Council.GroupA}/seances", new { date = DateTimeOffset.UtcNow.AddDays(3) },
                new { date = DateTimeOffset.UtcNow.AddDays(4) }, "seanceId"),
        };
        var key = $"cle-{tag}";
        var first = await PostWithKeyAsync(Council.Coordonnateur, url, body, key);
        await Answers.ExpectAsync(first, 201);
        var events = await Service.EventCountAsync();

        var retry = await PostWithKeyAsync(Council.Coordonnateur, url, body, key);
        await Answers.ExpectAsync(retry, 201);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty(idField).GetGuid(),
            (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty(idField).GetGuid());
        Assert.Equal(events, await Service.EventCountAsync());
        await Answers.ProblemAsync(await PostWithKeyAsync(Council.Coordonnateur, url, other, key), 422);
        Assert.Equal(events, await Service.EventCountAsync());
    }
}
