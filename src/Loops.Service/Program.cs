using Loops.Service.Dashboard;
using Loops.Service.Hosting;

// "hash-password": reads a password from standard input and prints its hash for Loops:Dashboard:Users:N:PasswordHash.
if (args is ["hash-password"])
{
    var password = (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n');
    if (string.IsNullOrEmpty(password))
    {
        await Console.Error.WriteLineAsync("hash-password: write the password on standard input, e.g. printf '%s\\n' 'secret' | Loops.Service hash-password");
        return 2;
    }

    Console.WriteLine(PasswordHash.Create(password));
    return 0;
}

await using var loops = await LoopsApplication.BuildAsync(args);
await loops.App.RunAsync();
return 0;
