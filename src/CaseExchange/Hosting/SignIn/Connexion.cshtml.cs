using CaseExchange.Hosting;
using System.Security.Claims;
using CaseExchange.Councils;
using CaseExchange.Demo;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseExchange.Hosting.SignIn;

/// <summary>
/// Sign-in. In production the council's identity provider signs members in (OpenID Connect); locally, when the
/// development sign-in is enabled (never in Production), anyone may sign in as any subject, e.g. a demo member.
/// </summary>
public sealed class ConnexionModel(IAuthenticationSchemeProvider schemes, IDocumentStore store, DevelopmentSignIn? development = null) : PageModel
{
    public bool DevelopmentSignInEnabled => development is not null;
    public bool OpenIdConnectAvailable { get; private set; }
    public IReadOnlyList<DemoMember> DemoMembers { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "retour")] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Subject { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        OpenIdConnectAvailable = await schemes.GetSchemeAsync(AuthenticationSchemes.OpenIdConnect) is not null;
        if (!DevelopmentSignInEnabled)
            return OpenIdConnectAvailable ? ChallengeIdentityProvider() : NotFound();
        if (User.Identity?.IsAuthenticated == true && ReturnUrl is not null) return LocalRedirect(SafeReturnUrl);
        await using var session = store.QuerySession(DemoCouncil.Code);
        if (await session.LoadAsync<Council>(Council.StreamId) is not null) DemoMembers = DemoCouncil.Members;
        return Page();
    }

    /// <summary>The identity provider, for a member who chose it on the development sign-in page.</summary>
    public IActionResult OnGetFournisseur() => ChallengeIdentityProvider();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!DevelopmentSignInEnabled) return NotFound();
        if (string.IsNullOrWhiteSpace(Subject) || Subject.Trim().Length > 200)
        {
            ModelState.AddModelError(nameof(Subject), "Indiquez l'identifiant (sub) du membre, 200 caractères au plus.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await OnGetAsync();
        }
        var subject = Subject.Trim();
        var identity = new ClaimsIdentity([new Claim("sub", subject), new Claim("name", subject)], "development-sign-in", "name", null);
        await HttpContext.SignInAsync(AuthenticationSchemes.Pages, new ClaimsPrincipal(identity));
        return LocalRedirect(SafeReturnUrl);
    }

    private string SafeReturnUrl => ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) ? url : "/";

    private IActionResult ChallengeIdentityProvider() =>
        Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl }, AuthenticationSchemes.OpenIdConnect);
}
