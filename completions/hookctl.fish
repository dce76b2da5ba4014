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
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "schema" -d 'Print the JSON Schema (draft-07) of webhook hook files'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l format -d 'Output format' -r -f -a "human\t'rustc-style text with the source line and a caret'
short\t'one line per diagnostic: path:line:col: severity[code name]: message'
json\t'one JSON object (see README.md)'
github\t'GitHub Actions workflow annotations'"
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l color -d 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -l deny-warnings -d 'Exit with status 1 when there are warnings, not only errors'
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand validate" -s V -l version -d 'Print version'
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
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate schema completions help" -f -a "validate" -d 'Check hook files for errors that keep webhook from loading or running them'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate schema completions help" -f -a "schema" -d 'Print the JSON Schema (draft-07) of webhook hook files'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate schema completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from validate schema completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
