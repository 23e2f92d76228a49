using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Members;

// Email (optional): the member's professional address, for the e-mail notifications only (never shown to others).
public sealed record RegisterMember(string? Subject, string? DisplayName, string? Organisation, string? Function, IReadOnlyList<string>? CouncilRoles,
    Guid? Id = null, string? Email = null);

public sealed record MemberCreatedResponse(Guid MemberId, string Subject, string DisplayName, string Url) : CreationResponse(Url);

public static class RegisterMemberEndpoint
{
    [WolverinePost("/api/councils/{council}/members", Summary = "Inscrire un membre (coordonnateur)"), Tags("Membres")]
    public static Task<MemberCreatedResponse> Post(RegisterMember command, CouncilRequest request,
        [FromHeader(Name = IdempotentCreation.HeaderName)] string? idempotencyKey = null) =>
        RegisterMemberUseCase.HandleAsync(request, command, idempotencyKey);
}

/// <summary>The coordonnateur registers a professional as a member of the council (idempotent on its id or key).</summary>
public static class RegisterMemberUseCase
{
    public const string Kind = "member";

    public static async Task<MemberCreatedResponse> HandleAsync(CouncilRequest request, RegisterMember command, string? idempotencyKey = null)
    {
        var (session, actor) = (request.Session, request.Actor);
        actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        var memberId = IdempotentCreation.ResourceIdFor(Kind, request.Council, actor.Id, command.Id, idempotencyKey);
        if (await session.LoadAsync<Member>(memberId, request.Cancellation) is { } existing)
        {
            await IdempotentCreation.RequireSameRequestAsync(session, Kind, memberId, actor.Id,
                () => Task.FromResult(IdempotentCreation.PlainFingerprint(command with { Id = null })));
            return Response(request, existing.Id, existing.Subject, existing.DisplayName);
        }

        var subjectTaken = command.Subject is { Length: > 0 } subject && await session.Query<Member>().AnyAsync(m => m.Subject == subject, request.Cancellation);
        Check(command, subjectTaken).ThrowIfAny();

        var registered = Decide(memberId, command, actor.Id, request.Now);
        session.Events.StartStream<Member>(registered.MemberId, registered);
        IdempotentCreation.Record(session, Kind, memberId, actor.Id, IdempotentCreation.PlainFingerprint(command with { Id = null }), registered.At);
        return Response(request, registered.MemberId, registered.Subject, registered.DisplayName);
    }

    /// <summary>The form: a login, a name, an organisation and a function; council roles from the closed list; a login not yet used.</summary>
    public static ValidationErrors Check(RegisterMember command, bool subjectTaken)
    {
        var errors = new ValidationErrors()
            .RequireText(command.Subject, "subject", "L'identifiant de connexion", 200)
            .RequireText(command.DisplayName, "displayName", "Le nom du membre", 120)
            .RequireText(command.Organisation, "organisation", "L'organisation", 120)
            .RequireText(command.Function, "function", "La fonction", 120);
        foreach (var _ in (command.CouncilRoles ?? []).Where(r => !Roles.CouncilRoles.Contains(r)))
            errors.Add("councilRoles", "Rôle de conseil inconnu : les rôles possibles sont coordonnateur, auditeur et president.");
        errors.When(command.Email?.Trim() is { Length: > 0 } email && !IsProfessionalAddress(email), "email",
            "Indiquez une adresse électronique valide (nom@domaine.fr), ou laissez le champ vide.");
        errors.When(subjectTaken, "subject", "Un membre de ce conseil utilise déjà cet identifiant de connexion.");
        return errors;
    }

    public static MemberRegistered Decide(Guid memberId, RegisterMember command, Guid registeredBy, DateTimeOffset now) =>
        new(memberId, command.Subject!.Trim(), command.DisplayName!.Trim(), command.Organisation!.Trim(), command.Function!.Trim(),
            [.. (command.CouncilRoles ?? []).Distinct()], registeredBy, now, command.Email?.Trim() is { Length: > 0 } email ? email : null);

    /// <summary>One plain address (no display name, no spaces), of the usual length.</summary>
    public static bool IsProfessionalAddress(string value) =>
        value.Length <= 254 && !value.Any(char.IsWhiteSpace) && value.IndexOf('@') is > 0 and var at && at < value.Length - 1
        && MimeKit.MailboxAddress.TryParse(value, out var parsed) && parsed.Address == value;

    private static MemberCreatedResponse Response(CouncilRequest request, Guid id, string subject, string displayName) =>
        new(id, subject, displayName, $"/api/councils/{request.Council}/members/{id}");
}
