using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils.CharterInForce;

/// <summary>The charter in force, its text, and the member's signature of it.</summary>
public sealed class CharteModel(CharterText text) : CouncilPageModel
{
    public CharterView Charter { get; private set; } = null!;
    public CharterText Text => text;

    [BindProperty] public bool Engagement { get; set; }

    public bool CanSign => Charter.VersionInForce is not null && Charter.VersionInForce == Charter.Version && !Charter.SignedByMe;

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostAsync()
    {
        if (!Engagement)
            ModelState.AddModelError(nameof(Engagement), "Cochez la case pour confirmer que vous avez lu la charte et que vous vous engagez à la respecter.");
        return SubmitAsync(
            async () =>
            {
                await LoadAsync();
                return SignCharterUseCase.Handle(CouncilRequest, new SignCharter(Charter.VersionInForce));
            },
            signature =>
            {
                Tell($"Vous avez signé la charte, version {signature.Version}. Vos accès nominatifs sont ouverts dans vos groupes de travail.");
                return Redirect(Href());
            },
            LoadAsync, prefix: "");
    }

    private async Task LoadAsync() => Charter = await ReadCharterUseCase.HandleAsync(CouncilRequest);
}
