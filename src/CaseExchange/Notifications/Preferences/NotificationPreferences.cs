using CaseExchange.Councils;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Notifications.Preferences;

/// <summary>
/// A member's own notification settings (a setting, not a fact of the procedure: a document, per council): the
/// address mails go to — the member's professional address, staff data shown to nobody else — and the kinds turned off.
/// Every kind is on by default; without an address, no mail is sent.
/// </summary>
public sealed class NotificationPreferences
{
    public Guid Id { get; set; }
    public string? Email { get; set; }
    public List<string> DisabledKinds { get; set; } = [];
    public DateTimeOffset ChangedAt { get; set; }

    public bool Wants(string kind) => !DisabledKinds.Contains(kind);

    public override string ToString() => $"[préférences de notification {Id}]";
}

public sealed record ChangeNotificationPreferences(string? Email, IReadOnlyList<string>? DisabledKinds);

public sealed record NotificationKindView(string Kind, string Label, bool Enabled);

public sealed record NotificationPreferencesResponse(string? Email, IReadOnlyList<NotificationKindView> Kinds);

public static class ReadNotificationPreferencesEndpoint
{
    [WolverineGet("/api/councils/{council}/me/notifications", Summary = "Mes notifications par e-mail : adresse et types reçus"), Tags("Notifications")]
    public static Task<NotificationPreferencesResponse> Get(CouncilRequest request) => NotificationPreferencesUseCase.ReadAsync(request);
}

public static class ChangeNotificationPreferencesEndpoint
{
    [WolverinePut("/api/councils/{council}/me/notifications", Summary = "Choisir mon adresse et les notifications que je reçois"), Tags("Notifications")]
    public static Task<NotificationPreferencesResponse> Put(ChangeNotificationPreferences command, CouncilRequest request) =>
        NotificationPreferencesUseCase.HandleAsync(request, command);
}

/// <summary>Each active member reads and changes their own settings only (no one else's address is ever shown).</summary>
public static class NotificationPreferencesUseCase
{
    /// <summary>Until the member saves their settings, the address given at their registration (if any) and every kind on.</summary>
    public static async Task<NotificationPreferencesResponse> ReadAsync(CouncilRequest request) =>
        View(await request.Session.LoadAsync<NotificationPreferences>(request.Actor.Id, request.Cancellation)
             ?? new NotificationPreferences { Id = request.Actor.Id, Email = request.Actor.Member.Email });

    public static async Task<NotificationPreferencesResponse> HandleAsync(CouncilRequest request, ChangeNotificationPreferences command)
    {
        var actor = request.Actor;
        Check(command).ThrowIfAny();
        var preferences = Decide(actor.Id, command, request.Now);
        request.Session.Store(preferences);
        return View(preferences);
    }

    /// <summary>An optional address of the usual form; the list of kinds turned off (empty for all) from the closed list.</summary>
    public static ValidationErrors Check(ChangeNotificationPreferences command)
    {
        var errors = new ValidationErrors();
        var email = command.Email?.Trim();
        errors.When(email is { Length: > 0 } && !IsAddress(email), "email", "Indiquez une adresse électronique valide (nom@domaine.fr), ou laissez le champ vide.");
        errors.When(command.DisabledKinds is null, "disabledKinds", "La liste des notifications désactivées est obligatoire (vide pour toutes les recevoir).");
        foreach (var _ in (command.DisabledKinds ?? []).Where(k => !NotificationKinds.All.Contains(k)))
            errors.Add("disabledKinds", "Type de notification inconnu.");
        return errors;
    }

    public static NotificationPreferences Decide(Guid memberId, ChangeNotificationPreferences command, DateTimeOffset now) => new()
    {
        Id = memberId,
        Email = command.Email?.Trim() is { Length: > 0 } email ? email : null,
        DisabledKinds = [.. (command.DisabledKinds ?? []).Distinct()],
        ChangedAt = now,
    };

    public static bool IsAddress(string value) => Councils.Members.RegisterMemberUseCase.IsProfessionalAddress(value);

    public static NotificationPreferencesResponse View(NotificationPreferences? preferences) =>
        new(preferences?.Email, [.. NotificationKinds.All.Select(k => new NotificationKindView(k, NotificationKinds.Label(k), preferences?.Wants(k) ?? true))]);
}
