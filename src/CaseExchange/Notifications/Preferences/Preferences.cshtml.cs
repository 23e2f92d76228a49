using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Notifications.Preferences;

public sealed class PreferencesForm
{
    public string? Email { get; set; }
    public List<string> Enabled { get; set; } = [];
}

/// <summary>The member's own notification settings: their address (seen by them only) and the kinds they receive.</summary>
public sealed class PreferencesModel : CouncilPageModel
{
    [BindProperty] public PreferencesForm Input { get; set; } = new();

    public NotificationPreferencesResponse Current { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Input.Email = Current.Email;
        Input.Enabled = [.. Current.Kinds.Where(k => k.Enabled).Select(k => k.Kind)];
    }

    public Task<IActionResult> OnPostAsync() => SubmitAsync(
        () => NotificationPreferencesUseCase.HandleAsync(CouncilRequest,
            new ChangeNotificationPreferences(Input.Email, [.. NotificationKinds.All.Except(Input.Enabled ?? [])])),
        saved =>
        {
            Tell(saved.Email is null
                ? "Vos préférences sont enregistrées. Sans adresse électronique, vous ne recevez aucun message."
                : "Vos préférences de notification sont enregistrées.");
            return Redirect(Href("preferences"));
        },
        LoadAsync,
        mapField: field => field == "disabledKinds" ? "Enabled" : field);

    private async Task LoadAsync() => Current = await NotificationPreferencesUseCase.ReadAsync(CouncilRequest);
}
