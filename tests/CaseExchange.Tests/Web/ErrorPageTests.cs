using System.Net;
using CaseExchange.Situations.Referral;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Web;

/// <summary>
/// A service whose pseudonym sequence lives on a database that refuses its password: every referral fails unexpectedly.
/// (A database that does not answer at all is another case: the outcome is unknown, see UnknownOutcomeTests.)
/// </summary>
public sealed class BrokenDatabaseFixture : IAsyncLifetime
{
    public TestService Service { get; private set; } = null!;
    public TestCouncil Council { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var postgres = await TestPostgres.GetAsync();
        var database = await postgres.CreateDatabaseAsync("panne");
        var wrongPassword = new NpgsqlConnectionStringBuilder(database) { Password = "mot-de-passe-refuse" }.ConnectionString;
        Service = await TestService.StartAsync(database, services: s => s.AddSingleton(new Pseudonyms(NpgsqlDataSource.Create(wrongPassword))));
        Council = await TestCouncil.CreateAsync(Service, "panne");
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
    }
}

public sealed class ErrorPageTests(BrokenDatabaseFixture fixture) : IClassFixture<BrokenDatabaseFixture>
{
    [Fact]
    public async Task An_unexpected_fault_behind_a_form_is_a_French_page_with_a_trace_id_and_nothing_else()
    {
        var council = fixture.Council;
        using var member = await fixture.Service.PageClientAsync(council.MemberOfHoldingGroup);
        var form = $"/c/{council.Code}/situations/nouvelle";
        var token = await Pages.AntiforgeryTokenAsync(member, form);
        var before = await fixture.Service.EventCountAsync();

        var response = await member.PostAsync(form, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.GroupId"] = council.GroupA.ToString(),
            ["Input.Reasons"] = "errance",
            ["Input.Sector"] = "nord",
            ["Input.Urgency"] = "normale",
            ["Input.Persons[0].Role"] = "personne-suivie",
            ["Input.Persons[0].Nom"] = "Zorglubovitch-Panne",
            ["Input.Persons[0].Prenom"] = "Philomène",
            ["Input.Persons[0].DateNaissance"] = "2010-01-02",
            ["Input.Facts"] = "Faits fictifs Panne",
        }));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<h1>Erreur interne du service</h1>", html);
        Assert.Contains("Rechargez la page pour vérifier si votre action a été prise en compte", html);
        Assert.Contains("Identifiant de l'erreur à communiquer", html);
        foreach (var leak in new[] { "Zorglubovitch", "Faits fictifs", "Exception", "Npgsql", "   at ", "Host=" })
            Assert.DoesNotContain(leak, html);
        Assert.Equal(before, await fixture.Service.EventCountAsync());
    }

    [Fact]
    public async Task The_API_keeps_answering_problem_details_for_the_same_fault()
    {
        var council = fixture.Council;
        var response = await fixture.Service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations", new
        {
            groupId = council.GroupA, reasons = new[] { "errance" }, sector = "nord", urgency = "normale",
            persons = new[] { TestPerson.Distinctive("Panne").AsRequest("personne-suivie") }, facts = "Faits fictifs Panne",
        });
        var problem = await Answers.ProblemAsync(response, 500);
        Assert.Equal("urn:caseexchange:problem:internal", problem.GetProperty("type").GetString());
    }
}
