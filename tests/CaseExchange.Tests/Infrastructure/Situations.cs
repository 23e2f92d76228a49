namespace CaseExchange.Tests.Infrastructure;

/// <summary>Brings a situation of a test council to a given step of its life, through the API.</summary>
public sealed class SituationSteps(TestService service, TestCouncil council)
{
    private int _counter;

    public async Task<Guid> NewSeanceAsync(Guid? group = null)
    {
        var seance = await service.PostJsonAsync<SeanceCreated>(council.Coordonnateur, $"{council.Api}/groups/{group ?? council.GroupA}/seances",
            new { date = DateTimeOffset.UtcNow.AddDays(7) }, 201);
        return seance.SeanceId;
    }

    public async Task<Guid> ReferredAsync() => (await ReferAsync()).Id;

    /// <summary>A situation just referred (version 1), of a distinctive person of its own.</summary>
    public Task<ReferredSituation> ReferAsync()
    {
        var tag = $"S{Interlocked.Increment(ref _counter)}";
        return council.ReferAsync(service, TestPerson.Distinctive(tag), $"Faits fictifs {tag}");
    }

    public async Task<SituationOnAgenda> OnAgendaAsync()
    {
        var situation = await ReferredAsync();
        var seance = await NewSeanceAsync();
        var placed = await service.PostJsonAsync<SituationChanged>(council.Coordonnateur, $"{council.Api}/situations/{situation}/agenda",
            new { seanceId = seance, expectedVersion = 1 });
        return new SituationOnAgenda(situation, seance, placed.Version);
    }

    public async Task<Guid> ExaminedAsync() => (await ExamineAsync()).SituationId;

    /// <summary>A situation examined at a séance with one decision: the answer, with its version (3).</summary>
    public async Task<SituationChanged> ExamineAsync()
    {
        var (situation, seance) = await OnAgendaAsync();
        return await service.PostJsonAsync<SituationChanged>(council.Coordonnateur, $"{council.Api}/situations/{situation}/examinations", new
        {
            seanceId = seance, discussionSummary = "Échanges fictifs", expectedVersion = 2,
            decisions = new[] { new { kind = "suivi-renforce", detail = "Détail fictif" } },
        });
    }

    public async Task<SituationFollowedUp> FollowedUpAsync(string referentSubject)
    {
        var situation = await ExaminedAsync();
        await service.PostJsonAsync<SituationChanged>(council.Coordonnateur, $"{council.Api}/situations/{situation}/follow-up", new
        {
            referentId = council.Id(referentSubject), expectedVersion = 3,
            actions = new[] { new { kind = "contact-famille", ownerPartnerId = await council.PartnerAsync(service),
                dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), description = "Action fictive" } },
        });
        var view = await service.GetJsonAsync<SituationActions>(council.Coordonnateur, $"{council.Api}/situations/{situation}");
        return new SituationFollowedUp(situation, view.Actions[0].ActionId, view.Version);
    }

    public async Task<Guid> ClosedAsync() => (await CloseAsync()).SituationId;

    /// <summary>A situation examined, then closed: the answer, with its version (4).</summary>
    public async Task<SituationChanged> CloseAsync()
    {
        var situation = await ExaminedAsync();
        return await service.PostJsonAsync<SituationChanged>(council.Coordonnateur, $"{council.Api}/situations/{situation}/closure",
            new { outcome = "situation-stabilisee", comment = "Clôture fictive", expectedVersion = 3 });
    }

    public async Task<Guid> NewMemberAsync(params string[] councilRoles)
    {
        var subject = $"{council.Code}.nouveau-{Guid.NewGuid():N}";
        var member = await service.PostJsonAsync<MemberCreated>(council.Coordonnateur, $"{council.Api}/members",
            new { subject, displayName = "Nouveau membre", organisation = "Association", function = "Bénévole", councilRoles }, 201);
        return member.MemberId;
    }

    public async Task<Guid> NewGroupAsync()
    {
        var group = await service.PostJsonAsync<GroupCreated>(council.Coordonnateur, $"{council.Api}/groups",
            new { name = $"GT {Guid.NewGuid():N}", kind = "thematique" }, 201);
        return group.GroupId;
    }
}
