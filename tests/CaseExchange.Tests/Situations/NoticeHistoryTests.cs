using System.Text.Json;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Situations;

public sealed class NoticeHistoryFixture : CouncilFixture;

/// <summary>
/// The information of the persons concerned is part of the situation's history: the full file lists it (who, when, how or
/// why deferred), and the right-of-access document lists the person's own information or deferral.
/// </summary>
public sealed class NoticeHistoryTests(NoticeHistoryFixture fixture) : IClassFixture<NoticeHistoryFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private Task<JsonElement> OpenAsync(Guid id) =>
        Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/situations/{id}/file-openings", new { purpose = "mise-a-jour" });

    private async Task<JsonElement> AccessRequestAsync(TestPerson person) =>
        Assert.Single((await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/access-requests",
            new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance })).GetProperty("situations").EnumerateArray());

    [Fact]
    public async Task An_information_is_listed_in_the_full_files_history_and_in_the_right_of_access_document()
    {
        var person = TestPerson.Distinctive("Informee");
        var (id, _, version) = await Council.ReferAsync(Service, person, "Faits fictifs information");
        var personId = await Service.FirstPersonAsync(Council, id);
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/situations/{id}/notices/informed",
            new { personId, informedOn = Today.AddDays(-1), means = "courrier", expectedVersion = version });

        var entry = Assert.Single((await OpenAsync(id)).GetProperty("history").EnumerateArray(), e => e.GetProperty("kind").GetString() == "information");
        Assert.Equal($"Personne suivie informée le {Today.AddDays(-1):dd/MM/yyyy} (courrier)", entry.GetProperty("text").GetString());
        Assert.StartsWith("Membre animateur", entry.GetProperty("by").GetString());

        var steps = (await AccessRequestAsync(person)).GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("label").GetString()).ToList();
        Assert.Contains($"Information de la personne le {Today.AddDays(-1):dd/MM/yyyy} (courrier)", steps);
    }

    [Fact]
    public async Task A_deferral_is_listed_with_its_reason_and_review_date()
    {
        var person = TestPerson.Distinctive("Differee");
        var (id, _, version) = await Council.ReferAsync(Service, person, "Faits fictifs report");
        var personId = await Service.FirstPersonAsync(Council, id);
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/situations/{id}/notices/deferred",
            new { personId, reason = "enquete-en-cours", reviewOn = Today.AddDays(30), expectedVersion = version });

        var history = (await OpenAsync(id)).GetProperty("history").EnumerateArray().ToList();
        Assert.DoesNotContain(history, e => e.GetProperty("kind").GetString() == "information");
        var entry = Assert.Single(history, e => e.GetProperty("kind").GetString() == "information-differee");
        Assert.Equal($"Personne suivie : information différée (enquête en cours), à réexaminer le {Today.AddDays(30):dd/MM/yyyy}", entry.GetProperty("text").GetString());

        var steps = (await AccessRequestAsync(person)).GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("label").GetString()).ToList();
        Assert.Contains($"Information différée (enquête en cours), à réexaminer le {Today.AddDays(30):dd/MM/yyyy}", steps);
    }
}
