# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hookctl_global_optspecs
    string join \n color= h/help V/version
end

function __fish_hookctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_hookctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hookctl_using_subcommand
    set -l cmd (__fish_hookctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hookctl -n "__fish_hookctl_needs_command" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_needs_command" -s h -l help -d 'Print help'
complete -c hookctl -n "__fish_hookctl_needs_command" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "validate" -d 'Check hook files for errors that keep webhook from loading or running them'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "lint" -d 'Check hook files for insecure, dead and non-portable hooks'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "simulate" -d 'Show whether a request fires a hook, which rule decides, and what webhook would run'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "serve" -d 'Serve hook files like webhook, for development: same routes, answers and commands'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "sign" -d 'Compute payload signatures and ready-to-send signed test requests'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "schema" -d 'Print the JSON Schema (draft-07) of webhook hook files'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l format -d 'Output format' -r -f -a "human\t'rustc-style text with the source line and a caret'
short\t'one line per diagnostic: path:line:col: severity[code name]: message'
json\t'one JSON object (see README.md)'
github\t'GitHub Actions workflow annotations'
sarif\t'SARIF 2.1.0, for GitHub code scanning'"
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l target -d 'With --template: the webhook release whose template functions are available' -r -f -a "webhook-2.8.0\t'Debian\'s webhook 2.8.0 (template function `getenv` only)'
webhook-2.8.2\t'webhook 2.8.2 (adds `-socket`; template function `getenv` only)'
webhook-master\t'webhook\'s unreleased master (adds template functions `cat` and `credential`)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l env -d 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l env-file -d 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l credentials-dir -d 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l deny-warnings -d 'Exit with status 1 when there are warnings, not only errors'
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l template -d 'Render hook files as Go templates first, as `webhook -template` does'
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l format -d 'Output format' -r -f -a "human\t'rustc-style text with the source line and a caret'
short\t'one line per diagnostic: path:line:col: severity[code name]: message'
json\t'one JSON object (see README.md)'
github\t'GitHub Actions workflow annotations'
sarif\t'SARIF 2.1.0, for GitHub code scanning'"
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l deny -d 'Report this rule (code or name) as an error; repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l warn -d 'Report this rule as a warning; repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l allow -d 'Do not report this rule; repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l target -d 'The webhook release the files are written for' -r -f -a "webhook-2.8.0\t'Debian\'s webhook 2.8.0 (template function `getenv` only)'
webhook-2.8.2\t'webhook 2.8.2 (adds `-socket`; template function `getenv` only)'
webhook-master\t'webhook\'s unreleased master (adds template functions `cat` and `credential`)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l config -d 'Use this project file instead of looking for .hookctl.toml' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l list-rules -d 'Print the catalog of rules and exit' -r -f -a "text\t''
json\t''
markdown\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l explain -d 'Print the documentation of one rule (code or name) and exit' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l env -d 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l env-file -d 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l credentials-dir -d 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l check-files -d 'Check that commands and working directories exist here (default: only when their parent directory exists on this machine); see --no-check-files'
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l no-check-files -d 'Never look at the files hooks name'
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l no-config -d 'Ignore any .hookctl.toml'
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l no-suppressions -d 'Ignore `x-hookctl-allow` keys and `[[lint.ignore]]` entries (for audits)'
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l deny-warnings -d 'Exit with status 1 when there are warnings, not only errors'
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -l template -d 'Render hook files as Go templates first, as `webhook -template` does'
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand lint" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l hooks -d 'Hook file to load, as webhook\'s -hooks (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l hook -d 'The hook to send the request to; default: the hook the request\'s path names' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l request -d 'A raw HTTP/1.1 request (as saved by `hookctl serve --record`; `-` for stdin)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l delivery -d 'A GitHub delivery as returned by GitHub\'s "get a delivery" API' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l payload -d 'The request body, read from a file (`-` for stdin)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l header -d 'A request header, added to the request (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l query -d 'A query parameter, added to the request\'s URL (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l method -d 'The request method (default POST, or the recorded one)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l remote-addr -d 'The peer address `ip:port` that ip-whitelist rules see' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l content-type -d 'The Content-Type header (default from the payload\'s file extension)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l urlprefix -d 'webhook\'s -urlprefix' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l http-methods -d 'webhook\'s -http-methods' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l response-header -d 'webhook\'s -header: a response header on every hook response (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l max-multipart-mem -d 'webhook\'s -max-multipart-mem, in bytes' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l timeout -d 'With --exec: kill the command after this many seconds' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l expect -d 'Exit 0 only if the hook fires (`fire`) or only if it does not (`no-fire`)' -r -f -a "fire\t''
no-fire\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l target -d 'With --template: the webhook release whose template functions are available' -r -f -a "webhook-2.8.0\t'Debian\'s webhook 2.8.0 (template function `getenv` only)'
webhook-2.8.2\t'webhook 2.8.2 (adds `-socket`; template function `getenv` only)'
webhook-master\t'webhook\'s unreleased master (adds template functions `cat` and `credential`)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l env -d 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l env-file -d 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l credentials-dir -d 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l exec -d 'Really run the command (without a shell) to show its output in the response'
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -l template -d 'Render hook files as Go templates first, as `webhook -template` does'
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand simulate" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l hooks -d 'Hook file to serve (repeatable) [default: hooks.json]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l ip -d 'Address to listen on; IPv6 needs brackets (`[::1]`)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l port -d 'Port to listen on (0 picks a free one, shown in the log)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l socket -d 'Listen on this Unix socket instead of --ip/--port (webhook 2.8.2)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l urlprefix -d 'URL prefix of hook routes: /PREFIX/{id}' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l logfile -d 'Append the log to FILE instead of stderr (implies --verbose)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l http-methods -d 'Methods hooks accept unless they list their own, comma-separated' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l header -d 'Response header on every hook response (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l max-multipart-mem -d 'Memory for multipart bodies, in bytes' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l x-request-id-limit -d 'Keep at most this many bytes of X-Request-Id (0: all)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l pidfile -d 'Write the process id to FILE; refuse to start if it names a running process' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l cert -d 'PEM certificate for --secure' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l key -d 'PEM private key for --secure' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l tls-min-version -d 'Lowest TLS version for --secure: 1.2 or 1.3 (1.0 and 1.1 become 1.2)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l command-timeout -d 'Kill a command\'s process group after DURATION (`30s`, `5m`); captured hooks answer 500 [default: no limit, like webhook]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l max-concurrent -d 'Run at most N commands at once; more wait in a queue, nothing is refused [default: no limit, like webhook]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l shutdown-grace -d 'On SIGINT/SIGTERM, wait this long for requests and commands before killing them' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l read-timeout -d 'Drop a client that takes longer than this to send a request head or body' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l max-body-size -d 'Answer 413 to bodies over SIZE (`10MiB`, `512K`, bytes), without reading them' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l max-header-size -d 'Answer 431 to request heads over SIZE [default: Go\'s 1 MiB + 4 KiB]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l log-format -d 'Log format: `text` (webhook-style lines) or `json` (one object per line)' -r -f -a "text\t''
json\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l record -d 'Save every request as a raw HTTP file in DIR, for `hookctl simulate --request`' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l health-path -d 'Path of the JSON health check (GET)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l metrics-path -d 'Path of the Prometheus metrics (GET)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l template -d 'Render hook files as Go templates (not supported yet: hookctl refuses to start)'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l verbose -d 'Log webhook\'s own lines too (and allow serving without hooks)'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l debug -d 'Also dump every request and response (implies --verbose)'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l nopanic -d 'Serve even when no hook could be loaded'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l hotreload -d 'Reload hook files when they change (watches their directories)'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l x-request-id -d 'Use the X-Request-Id header as the request id in logs'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l secure -d 'Serve HTTPS with --cert and --key'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l dry-run -d 'Evaluate requests and log what would run, but run nothing'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l no-health -d 'Turn the health check off'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -l no-metrics -d 'Turn the metrics off'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand serve" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -s a -l algorithm -d 'The HMAC hash (default sha256)' -r -f -a "sha1\t''
sha256\t''
sha512\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l header -d 'The signature header (default X-Hub-Signature for sha1, X-Hub-Signature-256 for sha256, X-Hub-Signature-512 for sha512)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l provider -d 'Sign as this sender does, with all the headers it sends' -r -f -a "bitbucket\t'Bitbucket Cloud: `X-Hub-Signature: sha256=<hex>`'
forgejo\t'Forgejo: `X-Forgejo-Signature: <hex>` (HMAC-SHA256, no prefix)'
gitea\t'Gitea: `X-Gitea-Signature: <hex>` (HMAC-SHA256, no prefix)'
github\t'GitHub: `X-Hub-Signature: sha1=<hex>` and `X-Hub-Signature-256: sha256=<hex>`'
gogs\t'Gogs: `X-Gogs-Signature: <hex>` (HMAC-SHA256, no prefix)'
scalr\t'Scalr: `X-Signature` (HMAC-SHA1 over the body and the Date) and `Date`'
slack\t'Slack: `X-Slack-Signature: v0=<hex>` and `X-Slack-Request-Timestamp`'
standard-webhooks\t'Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`'
stripe\t'Stripe: `Stripe-Signature: t=<timestamp>,v1=<hex>`'"
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l secret-env -d 'Read the secret from this environment variable; POINTER=VAR for one match of a hook (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l secret-file -d 'Read the secret from this file, without one final line break; POINTER=PATH for one match of a hook (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l secret -d 'The secret itself (it stays in your shell history: prefer --secret-env); POINTER=VALUE for one match of a hook (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l hooks -d 'Hook file to read the hook\'s signature matches from (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l hook -d 'The hook to sign for; without --hooks, only used for the request\'s URL' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -s o -l output -d 'What to print' -r -f -a "header\t'`Name: value` header lines'
value\t'The signature values alone'
json\t'Signatures, headers and request as JSON'
curl\t'A complete curl command'
http\t'A raw HTTP/1.1 request, for `hookctl simulate --request` or any HTTP client'"
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l url -d 'The URL of the request (curl, http, json); default from --hook, --host, --port and --urlprefix' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l urlprefix -d 'webhook\'s -urlprefix, for the default URL' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l host -d 'The host of the default URL' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l port -d 'The port of the default URL' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l method -d 'The request method (default POST, or the hook\'s first http-methods entry)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l content-type -d 'The Content-Type to send (default from the payload\'s extension, else application/json); a multipart type makes webhook sign zero bytes' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l add-header -d 'An extra header for the request (repeatable)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l date -d 'Scalr\'s Date header, in webhook\'s layout `Mon 02 Jan 2006 15:04:05 MST` (default now)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l timestamp -d 'The Unix time Slack, Stripe and Standard Webhooks sign (default now)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l webhook-id -d 'Standard Webhooks\' message id (default a fresh `msg_…`)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l verify -d 'Check this signature against the payload instead of printing one: exit 0 when it matches, 1 when not, with the likely cause' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l prefix -d 'Write the algorithm\'s prefix (`sha256=`) before the hex; the default except for Gitea, Forgejo and Gogs headers. --no-prefix writes bare hex'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l no-prefix
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l use-file-secrets -d 'With --hooks: sign with the secrets written in the hook file, for matches given no other secret'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l allow-empty-secret -d 'Sign with an empty secret instead of refusing it'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l form -d 'Send the payload as GitHub\'s form deliveries do: `payload=<URL-encoded payload>`, and sign that body'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -s v -l verbose -d 'Say what is signed, with which secret source, and how many bytes (never the secret)'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_using_subcommand schema" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand schema" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_using_subcommand completions" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint simulate serve sign schema completions help" -f -a "validate" -d 'Check hook files for errors that keep webhook from loading or running them'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint simulate serve sign schema completions help" -f -a "lint" -d 'Check hook files for insecure, dead and non-portable hooks'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint simulate serve sign schema completions help" -f -a "simulate" -d 'Show whether a request fires a hook, which rule decides, and what webhook would run'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint simulate serve sign schema completions help" -f -a "serve" -d 'Serve hook files like webhook, for development: same routes, answers and commands'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint simulate serve sign schema completions help" -f -a "sign" -d 'Compute payload signatures and ready-to-send signed test requests'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint simulate serve sign schema completions help" -f -a "schema" -d 'Print the JSON Schema (draft-07) of webhook hook files'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint simulate serve sign schema completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint simulate serve sign schema completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
