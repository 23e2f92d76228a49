using CaseExchange.Hosting;
using CaseExchange.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseExchange.Hosting.SignIn;

/// <summary>Ends the session (and, in production, the identity provider's session too); then says so.</summary>
public sealed class DeconnexionModel(IAuthenticationSchemeProvider schemes) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true && await schemes.GetSchemeAsync(AuthenticationSchemes.OpenIdConnect) is not null)
            return SignOut(new AuthenticationProperties { RedirectUri = "/deconnexion" }, AuthenticationSchemes.Pages, AuthenticationSchemes.OpenIdConnect);
        await HttpContext.SignOutAsync(AuthenticationSchemes.Pages);
        return RedirectToPage();
    }
}
