
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hookctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hookctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hookctl' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check hook files for errors that keep webhook from loading or running them')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check hook files for insecure, dead and non-portable hooks')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Show whether a request fires a hook, which rule decides, and what webhook would run')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve hook files like webhook, for development: same routes, answers and commands')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Compute payload signatures and ready-to-send signed test requests')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema (draft-07) of webhook hook files')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hookctl;validate' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'With --template: the webhook release whose template functions are available')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)')
            [CompletionResult]::new('--credentials-dir', '--credentials-dir', [CompletionResultType]::ParameterName, 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Exit with status 1 when there are warnings, not only errors')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Render hook files as Go templates first, as `webhook -template` does')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hookctl;lint' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Report this rule (code or name) as an error; repeatable')
            [CompletionResult]::new('--warn', '--warn', [CompletionResultType]::ParameterName, 'Report this rule as a warning; repeatable')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Do not report this rule; repeatable')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The webhook release the files are written for')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this project file instead of looking for .hookctl.toml')
            [CompletionResult]::new('--list-rules', '--list-rules', [CompletionResultType]::ParameterName, 'Print the catalog of rules and exit')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print the documentation of one rule (code or name) and exit')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)')
            [CompletionResult]::new('--credentials-dir', '--credentials-dir', [CompletionResultType]::ParameterName, 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never')
            [CompletionResult]::new('--check-files', '--check-files', [CompletionResultType]::ParameterName, 'Check that commands and working directories exist here (default: only when their parent directory exists on this machine); see --no-check-files')
            [CompletionResult]::new('--no-check-files', '--no-check-files', [CompletionResultType]::ParameterName, 'Never look at the files hooks name')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore any .hookctl.toml')
            [CompletionResult]::new('--no-suppressions', '--no-suppressions', [CompletionResultType]::ParameterName, 'Ignore `x-hookctl-allow` keys and `[[lint.ignore]]` entries (for audits)')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Exit with status 1 when there are warnings, not only errors')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Render hook files as Go templates first, as `webhook -template` does')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hookctl;simulate' {
            [CompletionResult]::new('--hooks', '--hooks', [CompletionResultType]::ParameterName, 'Hook file to load, as webhook''s -hooks (repeatable)')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'The hook to send the request to; default: the hook the request''s path names')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'A raw HTTP/1.1 request (as saved by `hookctl serve --record`; `-` for stdin)')
            [CompletionResult]::new('--delivery', '--delivery', [CompletionResultType]::ParameterName, 'A GitHub delivery as returned by GitHub''s "get a delivery" API')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'The request body, read from a file (`-` for stdin)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, added to the request (repeatable)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query parameter, added to the request''s URL (repeatable)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'The request method (default POST, or the recorded one)')
            [CompletionResult]::new('--remote-addr', '--remote-addr', [CompletionResultType]::ParameterName, 'The peer address `ip:port` that ip-whitelist rules see')
            [CompletionResult]::new('--content-type', '--content-type', [CompletionResultType]::ParameterName, 'The Content-Type header (default from the payload''s file extension)')
            [CompletionResult]::new('--urlprefix', '--urlprefix', [CompletionResultType]::ParameterName, 'webhook''s -urlprefix')
            [CompletionResult]::new('--http-methods', '--http-methods', [CompletionResultType]::ParameterName, 'webhook''s -http-methods')
            [CompletionResult]::new('--response-header', '--response-header', [CompletionResultType]::ParameterName, 'webhook''s -header: a response header on every hook response (repeatable)')
            [CompletionResult]::new('--max-multipart-mem', '--max-multipart-mem', [CompletionResultType]::ParameterName, 'webhook''s -max-multipart-mem, in bytes')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --exec: kill the command after this many seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Exit 0 only if the hook fires (`fire`) or only if it does not (`no-fire`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'With --template: the webhook release whose template functions are available')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)')
            [CompletionResult]::new('--credentials-dir', '--credentials-dir', [CompletionResultType]::ParameterName, 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Really run the command (without a shell) to show its output in the response')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Render hook files as Go templates first, as `webhook -template` does')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hookctl;serve' {
            [CompletionResult]::new('--hooks', '--hooks', [CompletionResultType]::ParameterName, 'Hook file to serve (repeatable) [default: hooks.json]')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Address to listen on; IPv6 needs brackets (`[::1]`)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (0 picks a free one, shown in the log)')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'Listen on this Unix socket instead of --ip/--port (webhook 2.8.2)')
            [CompletionResult]::new('--urlprefix', '--urlprefix', [CompletionResultType]::ParameterName, 'URL prefix of hook routes: /PREFIX/{id}')
            [CompletionResult]::new('--logfile', '--logfile', [CompletionResultType]::ParameterName, 'Append the log to FILE instead of stderr (implies --verbose)')
            [CompletionResult]::new('--http-methods', '--http-methods', [CompletionResultType]::ParameterName, 'Methods hooks accept unless they list their own, comma-separated')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Response header on every hook response (repeatable)')
            [CompletionResult]::new('--max-multipart-mem', '--max-multipart-mem', [CompletionResultType]::ParameterName, 'Memory for multipart bodies, in bytes')
            [CompletionResult]::new('--x-request-id-limit', '--x-request-id-limit', [CompletionResultType]::ParameterName, 'Keep at most this many bytes of X-Request-Id (0: all)')
            [CompletionResult]::new('--pidfile', '--pidfile', [CompletionResultType]::ParameterName, 'Write the process id to FILE; refuse to start if it names a running process')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'PEM certificate for --secure')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'PEM private key for --secure')
            [CompletionResult]::new('--tls-min-version', '--tls-min-version', [CompletionResultType]::ParameterName, 'Lowest TLS version for --secure: 1.2 or 1.3 (1.0 and 1.1 become 1.2)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'Kill a command''s process group after DURATION (`30s`, `5m`); captured hooks answer 500 [default: no limit, like webhook]')
            [CompletionResult]::new('--max-concurrent', '--max-concurrent', [CompletionResultType]::ParameterName, 'Run at most N commands at once; more wait in a queue, nothing is refused [default: no limit, like webhook]')
            [CompletionResult]::new('--shutdown-grace', '--shutdown-grace', [CompletionResultType]::ParameterName, 'On SIGINT/SIGTERM, wait this long for requests and commands before killing them')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'Drop a client that takes longer than this to send a request head or body')
            [CompletionResult]::new('--max-body-size', '--max-body-size', [CompletionResultType]::ParameterName, 'Answer 413 to bodies over SIZE (`10MiB`, `512K`, bytes), without reading them')
            [CompletionResult]::new('--max-header-size', '--max-header-size', [CompletionResultType]::ParameterName, 'Answer 431 to request heads over SIZE [default: Go''s 1 MiB + 4 KiB]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format: `text` (webhook-style lines) or `json` (one object per line)')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Save every request as a raw HTTP file in DIR, for `hookctl simulate --request`')
            [CompletionResult]::new('--health-path', '--health-path', [CompletionResultType]::ParameterName, 'Path of the JSON health check (GET)')
            [CompletionResult]::new('--metrics-path', '--metrics-path', [CompletionResultType]::ParameterName, 'Path of the Prometheus metrics (GET)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Render hook files as Go templates (not supported yet: hookctl refuses to start)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log webhook''s own lines too (and allow serving without hooks)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also dump every request and response (implies --verbose)')
            [CompletionResult]::new('--nopanic', '--nopanic', [CompletionResultType]::ParameterName, 'Serve even when no hook could be loaded')
            [CompletionResult]::new('--hotreload', '--hotreload', [CompletionResultType]::ParameterName, 'Reload hook files when they change (watches their directories)')
            [CompletionResult]::new('--x-request-id', '--x-request-id', [CompletionResultType]::ParameterName, 'Use the X-Request-Id header as the request id in logs')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Serve HTTPS with --cert and --key')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Evaluate requests and log what would run, but run nothing')
            [CompletionResult]::new('--no-health', '--no-health', [CompletionResultType]::ParameterName, 'Turn the health check off')
            [CompletionResult]::new('--no-metrics', '--no-metrics', [CompletionResultType]::ParameterName, 'Turn the metrics off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hookctl;sign' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'The HMAC hash (default sha256)')
            [CompletionResult]::new('--algorithm', '--algorithm', [CompletionResultType]::ParameterName, 'The HMAC hash (default sha256)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'The signature header (default X-Hub-Signature for sha1, X-Hub-Signature-256 for sha256, X-Hub-Signature-512 for sha512)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Sign as this sender does, with all the headers it sends')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'Read the secret from this environment variable; POINTER=VAR for one match of a hook (repeatable)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from this file, without one final line break; POINTER=PATH for one match of a hook (repeatable)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The secret itself (it stays in your shell history: prefer --secret-env); POINTER=VALUE for one match of a hook (repeatable)')
            [CompletionResult]::new('--hooks', '--hooks', [CompletionResultType]::ParameterName, 'Hook file to read the hook''s signature matches from (repeatable)')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'The hook to sign for; without --hooks, only used for the request''s URL')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The URL of the request (curl, http, json); default from --hook, --host, --port and --urlprefix')
            [CompletionResult]::new('--urlprefix', '--urlprefix', [CompletionResultType]::ParameterName, 'webhook''s -urlprefix, for the default URL')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host of the default URL')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port of the default URL')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'The request method (default POST, or the hook''s first http-methods entry)')
            [CompletionResult]::new('--content-type', '--content-type', [CompletionResultType]::ParameterName, 'The Content-Type to send (default from the payload''s extension, else application/json); a multipart type makes webhook sign zero bytes')
            [CompletionResult]::new('--add-header', '--add-header', [CompletionResultType]::ParameterName, 'An extra header for the request (repeatable)')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Scalr''s Date header, in webhook''s layout `Mon 02 Jan 2006 15:04:05 MST` (default now)')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'The Unix time Slack, Stripe and Standard Webhooks sign (default now)')
            [CompletionResult]::new('--webhook-id', '--webhook-id', [CompletionResultType]::ParameterName, 'Standard Webhooks'' message id (default a fresh `msg_…`)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Check this signature against the payload instead of printing one: exit 0 when it matches, 1 when not, with the likely cause')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Write the algorithm''s prefix (`sha256=`) before the hex; the default except for Gitea, Forgejo and Gogs headers. --no-prefix writes bare hex')
            [CompletionResult]::new('--no-prefix', '--no-prefix', [CompletionResultType]::ParameterName, 'no-prefix')
            [CompletionResult]::new('--use-file-secrets', '--use-file-secrets', [CompletionResultType]::ParameterName, 'With --hooks: sign with the secrets written in the hook file, for matches given no other secret')
            [CompletionResult]::new('--allow-empty-secret', '--allow-empty-secret', [CompletionResultType]::ParameterName, 'Sign with an empty secret instead of refusing it')
            [CompletionResult]::new('--form', '--form', [CompletionResultType]::ParameterName, 'Send the payload as GitHub''s form deliveries do: `payload=<URL-encoded payload>`, and sign that body')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say what is signed, with which secret source, and how many bytes (never the secret)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say what is signed, with which secret source, and how many bytes (never the secret)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hookctl;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hookctl;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hookctl;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check hook files for errors that keep webhook from loading or running them')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check hook files for insecure, dead and non-portable hooks')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Show whether a request fires a hook, which rule decides, and what webhook would run')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve hook files like webhook, for development: same routes, answers and commands')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Compute payload signatures and ready-to-send signed test requests')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema (draft-07) of webhook hook files')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hookctl;help;validate' {
            break
        }
        'hookctl;help;lint' {
            break
        }
        'hookctl;help;simulate' {
            break
        }
        'hookctl;help;serve' {
            break
        }
        'hookctl;help;sign' {
            break
        }
        'hookctl;help;schema' {
            break
        }
        'hookctl;help;completions' {
            break
        }
        'hookctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
