using CaseExchange.Charter;
using System.Text.Json;
using CaseExchange.Seances.CompteRendu;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Seances;

/// <summary>A council with group A, ready for séances.</summary>
public class SeanceCouncilFixture : CouncilFixture;

/// <summary>The steps of a séance through the HTTP API, as the coordonnateur (or the given subject) takes them.</summary>
public sealed class SeanceSteps(TestService service, TestCouncil council)
{
    public string Api => council.Api;

    public async Task<Guid> ScheduleAsync(DateTimeOffset? date = null, string? by = null) =>
        (await service.PostJsonAsync<SeanceCreated>(by ?? council.Coordonnateur, $"{Api}/groups/{council.GroupA}/seances",
            new { date = date ?? DateTimeOffset.UtcNow }, 201)).SeanceId;

    /// <summary>The séance as the API shows it, every field (for the assertions of the test that reads it).</summary>
    public async Task<JsonElement> ViewAsync(Guid seanceId, string? by = null) =>
        await service.GetJsonAsync<JsonElement>(by ?? council.Coordonnateur, $"{Api}/seances/{seanceId}");

    public async Task<long> SeanceVersionAsync(Guid seanceId) =>
        (await service.GetJsonAsync<Versioned>(council.Coordonnateur, $"{Api}/seances/{seanceId}")).Version;

    /// <summary>Places the situation on the séance's ODJ (as the animateur); the situation's new version.</summary>
    public async Task<SituationChanged> PlaceAsync(Guid situationId, Guid seanceId) =>
        await service.PostJsonAsync<SituationChanged>(council.Animateur, $"{Api}/situations/{situationId}/agenda",
            new { seanceId, expectedVersion = await council.VersionOfAsync(service, situationId) });

    public async Task<HttpResponseMessage> ExamineAsync(Guid situationId, Guid seanceId, params string[] decisions) =>
        await service.PostAsync(council.Animateur, $"{Api}/situations/{situationId}/examinations", new
        {
            seanceId,
            discussionSummary = "Synthèse des échanges : SecretDeSeanceXyz, situation suivie de près.",
            decisions = (decisions.Length == 0 ? ["orientation"] : decisions).Select(kind => new { kind, detail = "DetailDecisionSecretQwz" }),
            expectedVersion = await council.VersionOfAsync(service, situationId),
        });

    public async Task<SituationChanged> AssignFollowUpAsync(Guid situationId, string ownerOrganisation = "Prévention spécialisée",
        string ownerRole = "educateur-prevention")
    {
        var ownerPartnerId = await council.PartnerAsync(service, ownerOrganisation, ownerRole);
        return await service.PostJsonAsync<SituationChanged>(council.Animateur, $"{Api}/situations/{situationId}/follow-up", new
        {
            referentId = council.Id(council.Referent),
            actions = new[]
            {
                new { kind = "contact-famille", ownerPartnerId, dueOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20), description = "DescriptionActionSecrete" },
            },
            expectedVersion = await council.VersionOfAsync(service, situationId),
        });
    }

    /// <summary>A partner of the council's directory, to choose action owners and guests from (registered on first use).</summary>
    public Task<Guid> PartnerAsync(string organisation = "Mission locale", string role = "conseiller-insertion") =>
        council.PartnerAsync(service, organisation, role);

    public async Task<HttpResponseMessage> RecordAttendanceAsync(Guid seanceId, IEnumerable<string> nominative, IEnumerable<string>? generalOnly = null,
        object[]? guests = null, string? by = null) =>
        await service.SendAsync(by ?? council.Coordonnateur, HttpMethod.Put, $"{Api}/seances/{seanceId}/attendance", new
        {
            nominativePart = nominative.Select(council.Id),
            generalPartOnly = (generalOnly ?? []).Select(council.Id),
            guests = guests ?? [],
            expectedVersion = await SeanceVersionAsync(seanceId),
        });

    public async Task<HttpResponseMessage> CloseAsync(Guid seanceId, string? by = null) =>
        await service.PostAsync(by ?? council.Coordonnateur, $"{Api}/seances/{seanceId}/closure",
            new { expectedVersion = await SeanceVersionAsync(seanceId) });

    public async Task<HttpResponseMessage> GenerateAsync(Guid seanceId, string? synthese = null, string? prochainesEtapes = null,
        object[]? notes = null, string? by = null) =>
        await service.PostAsync(by ?? council.Coordonnateur, $"{Api}/seances/{seanceId}/compte-rendu", new
        {
            synthese, prochainesEtapes, notes = notes ?? [], expectedVersion = await SeanceVersionAsync(seanceId),
        });

    public async Task<HttpResponseMessage> DownloadAsync(Guid seanceId, int number, string format, string? by = null) =>
        await service.GetAsync(by ?? council.Coordonnateur, $"{Api}/seances/{seanceId}/compte-rendu/{number}/{format}");

    /// <summary>Refers, places, examines (with a follow-up) the given persons' situations, postpones the last one, closes.</summary>
    public async Task<ClosedSeance> ClosedSeanceAsync(IReadOnlyList<TestPerson> examined, TestPerson? postponed = null)
    {
        var seanceId = await ScheduleAsync();
        var situations = new List<ReferredSituation>();
        foreach (var person in examined.Concat(postponed is null ? [] : [postponed]))
        {
            var situation = await council.ReferAsync(service, person, $"Faits FaitsSecretsAbc concernant {person.Prenom} {person.Nom}.");
            await PlaceAsync(situation.Id, seanceId);
            situations.Add(situation);
        }
        await Answers.ExpectAsync(await RecordAttendanceAsync(seanceId, [council.Animateur, council.MemberOfHoldingGroup, council.Referent],
            [council.Coordonnateur, council.UnsignedMember], [new { partnerId = await council.PartnerAsync(service, "Association de quartier", "mediateur") }]), 200);
        foreach (var situation in situations.Take(examined.Count))
        {
            await Answers.ExpectAsync(await ExamineAsync(situation.Id, seanceId, "orientation", "suivi-renforce"), 200);
            await AssignFollowUpAsync(situation.Id);
        }
        await Answers.ExpectAsync(await CloseAsync(seanceId), 200);
        return new ClosedSeance(seanceId, situations.Take(examined.Count).ToList(), postponed is null ? null : situations[^1]);
    }
}

public sealed record ClosedSeance(Guid SeanceId, IReadOnlyList<ReferredSituation> Examined, ReferredSituation? Postponed);

public static class Leaks
{
    /// <summary>Fails if any value appears in the text, ignoring case and accents.</summary>
    public static void AssertNone(string text, IEnumerable<string> values, string where)
    {
        var folded = IdentityTextGuard.Fold(text);
        foreach (var value in values)
            Assert.False(folded.Contains(IdentityTextGuard.Fold(value), StringComparison.Ordinal), $"{where} contains an identity or secret value");
    }

    /// <summary>Everything about a person that must never leave the group, in the forms it could take.</summary>
    public static IEnumerable<string> Of(TestPerson person) =>
    [
        .. person.Leakables(), person.Telephone, person.Telephone.Replace(" ", ""), person.DateNaissance.ToString("dd.MM.yyyy"),
        "Quetzals", "Zorglubovitch", "Philomène", "Mme Zorglubovitch",
    ];

    public static readonly string[] Secrets = ["FaitsSecretsAbc", "SecretDeSeanceXyz", "DetailDecisionSecretQwz", "DescriptionActionSecrete"];
}
