using System.Text.Json;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>Brings a situation of a test council to a given step of its life, through the API.</summary>
public sealed class SituationSteps(TestService service, TestCouncil council)
{
    private int _counter;

    public async Task<Guid> NewSeanceAsync(Guid? group = null)
    {
        var seance = await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/groups/{group ?? council.GroupA}/seances",
            new { date = DateTimeOffset.UtcNow.AddDays(7) }, 201);
        return seance.GetProperty("seanceId").GetGuid();
    }

    public async Task<Guid> ReferredAsync()
    {
        var tag = $"S{Interlocked.Increment(ref _counter)}";
        return (await council.ReferAsync(service, TestPerson.Distinctive(tag), $"Faits fictifs {tag}")).Id;
    }

    public async Task<(Guid Situation, Guid Seance)> OnAgendaAsync()
    {
        var situation = await ReferredAsync();
        var seance = await NewSeanceAsync();
        await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{situation}/agenda",
            new { seanceId = seance, expectedVersion = 1 });
        return (situation, seance);
    }

    public async Task<Guid> ExaminedAsync()
    {
        var (situation, seance) = await OnAgendaAsync();
        await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{situation}/examinations", new
        {
            seanceId = seance, discussionSummary = "Échanges fictifs", expectedVersion = 2,
            decisions = new[] { new { kind = "suivi-renforce", detail = "Détail fictif" } },
        });
        return situation;
    }

    public async Task<(Guid Situation, Guid Action)> FollowedUpAsync(string referentSubject)
    {
        var situation = await ExaminedAsync();
        var changed = await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{situation}/follow-up", new
        {
            referentId = council.Id(referentSubject), expectedVersion = 3,
            actions = new[] { new { kind = "contact-famille", ownerPartnerId = await council.PartnerAsync(service),
                dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), description = "Action fictive" } },
        });
        var view = await service.GetJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{situation}");
        return (situation, view.GetProperty("actions")[0].GetProperty("actionId").GetGuid());
    }

    public async Task<Guid> ClosedAsync()
    {
        var situation = await ExaminedAsync();
        await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{situation}/closure",
            new { outcome = "situation-stabilisee", comment = "Clôture fictive", expectedVersion = 3 });
        return situation;
    }

    public async Task<Guid> NewMemberAsync(params string[] councilRoles)
    {
        var subject = $"{council.Code}.nouveau-{Guid.NewGuid():N}";
        var member = await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/members",
            new { subject, displayName = "Nouveau membre", organisation = "Association", function = "Bénévole", councilRoles }, 201);
        return member.GetProperty("memberId").GetGuid();
    }

    public async Task<Guid> NewGroupAsync()
    {
        var group = await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/groups",
            new { name = $"GT {Guid.NewGuid():N}", kind = "thematique" }, 201);
        return group.GetProperty("groupId").GetGuid();
    }
}
