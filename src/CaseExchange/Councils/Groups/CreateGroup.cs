using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Groups;

public sealed record CreateGroup(string? Name, string? Kind, string? Sector, Guid? Id = null);

public sealed record GroupCreatedResponse(Guid GroupId, string Name, string Url) : CreationResponse(Url);

public static class CreateGroupEndpoint
{
    [WolverinePost("/api/councils/{council}/groups", Summary = "Créer un groupe de travail (coordonnateur)"), Tags("Groupes")]
    public static Task<GroupCreatedResponse> Post(CreateGroup command, CouncilRequest request,
        [FromHeader(Name = IdempotentCreation.HeaderName)] string? idempotencyKey = null) =>
        CreateGroupUseCase.HandleAsync(request, command, idempotencyKey);
}

/// <summary>The coordonnateur creates a group of one of the charter's instance kinds (idempotent on its id or key).</summary>
public static class CreateGroupUseCase
{
    public const string Kind = "group";
    public const int MaxNameLength = 120;

    public static async Task<GroupCreatedResponse> HandleAsync(CouncilRequest request, CreateGroup command, string? idempotencyKey = null)
    {
        var (session, actor) = (request.Session, request.Actor);
        actor.RequireCouncilCapability(request.Policy, Capabilities.ManageGroups);
        var groupId = IdempotentCreation.ResourceIdFor(Kind, request.Council, actor.Id, command.Id, idempotencyKey);
        if (await session.LoadAsync<Group>(groupId, request.Cancellation) is { } existing)
        {
            await IdempotentCreation.RequireSameRequestAsync(session, Kind, groupId, actor.Id,
                () => Task.FromResult(IdempotentCreation.PlainFingerprint(command with { Id = null })));
            return Response(request, existing.Id, existing.Name);
        }
        var nameTaken = command.Name is { Length: > 0 } name && await session.Query<Group>().AnyAsync(g => g.Name == name.Trim(), request.Cancellation);
        Check(command, actor.Council, nameTaken, request.Policy.InstanceKinds).ThrowIfAny();

        var created = Decide(groupId, command, actor.Id, request.Now);
        session.Events.StartStream<Group>(created.GroupId, created);
        IdempotentCreation.Record(session, Kind, groupId, actor.Id, IdempotentCreation.PlainFingerprint(command with { Id = null }), created.At);
        return Response(request, created.GroupId, created.Name);
    }

    /// <summary>
    /// A name not yet used; a kind of the charter's closed list (<c>instanceKinds</c>); a sector as the kind requires it
    /// (a territorial group names one of the council's sectors, a thematic one none).
    /// </summary>
    public static ValidationErrors Check(CreateGroup command, Council council, bool nameTaken, IReadOnlyList<InstanceKind>? kinds = null)
    {
        kinds ??= InstanceKind.Defaults;
        var kind = kinds.FirstOrDefault(k => k.Code == command.Kind);
        return new ValidationErrors()
            .RequireText(command.Name, "name", "Le nom du groupe", MaxNameLength)
            .When(kind is null, "kind", "Le type d'instance doit être l'un de ceux de la charte : " + string.Join(", ", kinds.Select(k => $"« {k.Code} »")) + ".")
            .When(command.Sector is not null && !council.HasSector(command.Sector), "sector", "Le secteur doit être l'un des secteurs du conseil.")
            .When(kind?.Sector == InstanceKind.SectorRequired && command.Sector is null, "sector", $"Un {kind?.Label.ToLowerInvariant()} doit désigner un secteur du conseil.")
            .When(kind?.Sector == InstanceKind.SectorNone && command.Sector is not null, "sector", $"Un {kind?.Label.ToLowerInvariant()} ne désigne pas de secteur.")
            .When(nameTaken, "name", "Un groupe de ce conseil porte déjà ce nom.");
    }

    public static GroupCreated Decide(Guid groupId, CreateGroup command, Guid actorId, DateTimeOffset now) =>
        new(groupId, command.Name!.Trim(), command.Kind!, command.Sector, actorId, now);

    private static GroupCreatedResponse Response(CouncilRequest request, Guid id, string name) =>
        new(id, name, $"/api/councils/{request.Council}/groups/{id}");
}
