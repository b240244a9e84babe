package setting

// Defaults is the catalogue of site settings and their initial values
// (80-data-model §9, 90-newer-versions §25). Keys that hold generated secrets
// are listed in generated instead. Values are strings, as stored.
var Defaults = map[string]string{
	// Site identity and appearance.
	"siteURL":              "http://localhost:5212",
	"siteName":             "Stratus",
	"siteTitle":            "Cloud storage for everyone",
	"siteDes":              "Stratus",
	"siteScript":           "",
	"site_logo":            "/static/img/logo.svg",
	"site_logo_light":      "/static/img/logo_light.svg",
	"pwa_small_icon":       "/static/img/favicon.ico",
	"pwa_medium_icon":      "/static/img/logo192.png",
	"pwa_large_icon":       "/static/img/logo512.png",
	"pwa_display":          "standalone",
	"pwa_theme_color":      "#000000",
	"pwa_background_color": "#ffffff",
	"defaultTheme":         "#1976d2",
	"theme_options": `{"#1976d2":{"light":{"palette":{"primary":{"main":"#1976d2","light":"#42a5f5","dark":"#1565c0"},"secondary":{"main":"#9c27b0"}}},"dark":{"palette":{"primary":{"main":"#90caf9","light":"#e3f2fd","dark":"#42a5f5"},"secondary":{"main":"#ce93d8"}}}},` +
		`"#3f51b5":{"light":{"palette":{"primary":{"main":"#3f51b5"},"secondary":{"main":"#f50057"}}},"dark":{"palette":{"primary":{"main":"#9fa8da"},"secondary":{"main":"#ff4081"}}}}}`,
	"tos_url":                    "",
	"privacy_policy_url":         "",
	"show_app_promotion":         "1",
	"show_desktop_app_promotion": "1",
	"custom_nav_items":           "[]",
	"headless_footer_html":       "",
	"headless_bottom_html":       "",
	"sidebar_bottom_html":        "",
	"explorer_icons":             defaultIcons,
	"emojis":                     defaultEmojis,
	"map_provider":               "openstreetmap",
	"map_google_tile_type":       "regular",
	"map_mapbox_ak":              "",

	// Registration, sign-in, tokens.
	"register_enabled":        "1",
	"default_group":           "2",
	"email_active":            "0",
	"authn_enabled":           "1",
	"login_captcha":           "0",
	"reg_captcha":             "0",
	"forget_captcha":          "0",
	"access_token_ttl":        "3600",
	"refresh_token_ttl":       "1209600",
	"gravatar_server":         "https://www.gravatar.com/",
	"avatar_path":             "avatar",
	"avatar_size":             "4194304",
	"avatar_size_l":           "200",
	"expose_user_email":       "1",
	"mail_domain_filter":      "0", // 0 off, 1 allow list, 2 deny list
	"mail_domain_filter_list": "",  // comma-separated domains

	// Stratus: seconds in which a used refresh token still gets a pair of
	// its family (two tabs, a retried request); later reuse revokes it.
	"refresh_token_reuse_window": "60",

	// Captcha.
	"captcha_type":                  "normal",
	"captcha_height":                "60",
	"captcha_width":                 "240",
	"captcha_mode":                  "3",
	"captcha_ComplexOfNoiseText":    "0",
	"captcha_ComplexOfNoiseDot":     "0",
	"captcha_IsShowHollowLine":      "0",
	"captcha_IsShowNoiseDot":        "1",
	"captcha_IsShowNoiseText":       "0",
	"captcha_IsShowSlimeLine":       "1",
	"captcha_IsShowSineLine":        "0",
	"captcha_CaptchaLen":            "6",
	"captcha_ReCaptchaKey":          "defaultKey",
	"captcha_ReCaptchaSecret":       "defaultSecret",
	"captcha_turnstile_site_key":    "",
	"captcha_turnstile_site_secret": "",
	"captcha_cap_instance_url":      "",
	"captcha_cap_site_key":          "",
	"captcha_cap_secret_key":        "",
	"captcha_cap_asset_server":      "jsdelivr",

	// Mail.
	"fromName":       "Stratus",
	"fromAdress":     "no-reply@localhost",
	"replyTo":        "",
	"smtpHost":       "",
	"smtpPort":       "25",
	"smtpUser":       "",
	"smtpPass":       "",
	"smtpEncryption": "0",
	"mail_keepalive": "30",

	// Outgoing connections (WOPI discovery, captcha verifiers, SMTP) go
	// only to public addresses unless these allow more (package safedial):
	// every address, or the comma-separated CIDRs listed.
	"outgoing_allow_private": "0",
	"outgoing_allowed_cidrs": "",

	// Uploads, transfers, sessions.
	"upload_session_timeout":  "86400",
	"slave_api_timeout":       "60",
	"chunk_retries":           "5",
	"use_temp_chunk_buffer":   "1",
	"temp_path":               "temp",
	"max_parallel_transfer":   "4",
	"archive_timeout":         "600",
	"maxEditSize":             "52428800",
	"viewer_session_timeout":  "36000",
	"public_resource_maxage":  "86400",
	"entity_url_default_ttl":  "3600",
	"entity_url_cache_margin": "600",

	// Shortest password a user may choose for a share link (a Stratus key).
	"share_password_min_length": "6",

	// File system and explorer.
	"use_cursor_pagination":            "1",
	"max_page_size":                    "2000",
	"max_recursive_searched_folder":    "65535",
	"max_batched_file":                 "3000",
	"folder_props_timeout":             "300",
	"explorer_category_image_query":    "type=file&case_folding&use_or&name=*.bmp&name=*.iff&name=*.png&name=*.gif&name=*.jpg&name=*.jpeg&name=*.psd&name=*.svg&name=*.webp&name=*.heif&name=*.heic&name=*.tiff&name=*.avif",
	"explorer_category_video_query":    "type=file&case_folding&use_or&name=*.mp4&name=*.m3u8&name=*.flv&name=*.avi&name=*.wmv&name=*.mkv&name=*.rm&name=*.rmvb&name=*.mov&name=*.ogv",
	"explorer_category_audio_query":    "type=file&case_folding&use_or&name=*.mp3&name=*.flac&name=*.ape&name=*.wav&name=*.acc&name=*.ogg&name=*.m4a",
	"explorer_category_document_query": "type=file&case_folding&use_or&name=*.pdf&name=*.doc&name=*.docx&name=*.ppt&name=*.pptx&name=*.xls&name=*.xlsx&name=*.csv&name=*.txt&name=*.md&name=*.pub",
	"mime_mapping":                     "{}",
	"file_viewers":                     defaultViewers,
	"viewer_default_apps":              "{}",
	"custom_props":                     "[]",
	"show_encryption_status":           "1",
	"fts_enabled":                      "0",

	// Thumbnails.
	"thumb_width":                "400",
	"thumb_height":               "300",
	"thumb_entity_suffix":        "._thumb",
	"thumb_encode_method":        "png",
	"thumb_encode_quality":       "95",
	"thumb_builtin_enabled":      "1",
	"thumb_builtin_max_size":     "78643200",
	"thumb_vips_enabled":         "0",
	"thumb_vips_path":            "vips",
	"thumb_vips_max_size":        "78643200",
	"thumb_vips_exts":            "3fr,ari,arw,bay,braw,crw,cr2,cr3,cap,data,dcs,dcr,dng,drf,eip,erf,fff,gpr,iiq,k25,kdc,mdc,mef,mos,mrw,nef,nrw,obm,orf,pef,ptx,pxn,r3d,raf,raw,rwl,rw2,rwz,sr2,srf,srw,tif,x3f,csv,mat,img,hdr,pbm,pgm,ppm,pfm,pnm,svg,svgz,j2k,jp2,jpt,j2c,jpc,gif,png,jpg,jpeg,jpe,webp,tif,tiff,fits,fit,fts,exr,jxl,pdf,heic,heif,avif,svs,vms,vmu,ndpi,scn,mrxs,svslide,bif,raw",
	"thumb_ffmpeg_enabled":       "0",
	"thumb_ffmpeg_path":          "ffmpeg",
	"thumb_ffmpeg_max_size":      "10737418240",
	"thumb_ffmpeg_exts":          "3g2,3gp,asf,asx,avi,divx,flv,m2ts,m2v,m4v,mkv,mov,mp4,mpeg,mpg,mts,mxf,ogv,rm,swf,webm,wmv",
	"thumb_ffmpeg_seek":          "00:00:01.00",
	"thumb_libreoffice_enabled":  "0",
	"thumb_libreoffice_path":     "soffice",
	"thumb_libreoffice_max_size": "78643200",
	"thumb_libreoffice_exts":     "txt,pdf,md,ods,ots,fods,uos,xlsx,xml,xls,xlt,dif,dbf,html,slk,csv,xlsm,docx,dotx,doc,dot,rtf,xlsm,xlst,xls,xlw,xlc,xlt,pptx,ppsx,potx,pomx,ppt,pps,ppm,pot,pom",
	"thumb_music_cover_enabled":  "1",
	"thumb_music_cover_max_size": "1073741824",
	"thumb_music_cover_exts":     "mp3,m4a,ogg,flac",
	"thumb_libraw_enabled":       "0",
	"thumb_libraw_path":          "simple_dcraw",
	"thumb_libraw_max_size":      "78643200",
	"thumb_libraw_exts":          "3fr,ari,arw,bay,braw,crw,cr2,cr3,cap,data,dcs,dcr,dng,drf,eip,erf,fff,gpr,iiq,k25,kdc,mdc,mef,mos,mrw,nef,nrw,obm,orf,pef,ptx,pxn,r3d,raf,raw,rwl,rw2,rwz,sr2,srf,srw,tif,x3f",

	// Abuse reports (POST /site/abuse) need a captcha.
	"abuse_report_captcha": "0",

	// Operating: GET /metrics answers only a scrape that sends this token
	// ("" = metrics off).
	"metrics_token": "",

	// Cron.
	"cron_entity_collect":    "@every 15m",
	"cron_trash_bin_collect": "@every 33m",
	"cron_storage_calibrate": "@daily",
}

// generated lists settings whose initial value is random, made once at install.
var generated = map[string]func() string{
	"siteID":       newUUID,
	"secret_key":   func() string { return randomAlnum(256) },
	"hash_id_salt": func() string { return randomAlnum(64) },
}

const defaultIcons = `[{"exts":["mp3","flac","ape","wav","acc","ogg","m4a"],"icon":"audio","color":"#651fff"},` +
	`{"exts":["m3u8","mp4","flv","avi","wmv","mkv","rm","rmvb","mov","ogv"],"icon":"video","color":"#d50000"},` +
	`{"exts":["bmp","iff","png","gif","jpg","jpeg","psd","svg","webp","heif","heic","tiff","avif"],"icon":"image","color":"#d32f2f"},` +
	`{"exts":["3fr","ari","arw","bay","braw","crw","cr2","cr3","cap","dcs","dcr","dng","drf","eip","erf","fff","gpr","iiq","k25","kdc","mdc","mef","mos","mrw","nef","nrw","obm","orf","pef","ptx","pxn","r3d","raf","raw","rwl","rw2","rwz","sr2","srf","srw","x3f"],"icon":"raw","color":"#d32f2f"},` +
	`{"exts":["pdf"],"icon":"pdf","color":"#f44336"},` +
	`{"exts":["doc","docx"],"icon":"word","color":"#538ce5"},` +
	`{"exts":["ppt","pptx"],"icon":"ppt","color":"#EF633F"},` +
	`{"exts":["xls","xlsx","csv"],"icon":"excel","color":"#4caf50"},` +
	`{"exts":["txt","html"],"icon":"text","color":"#607d8b"},` +
	`{"exts":["torrent"],"icon":"torrent","color":"#5c6bc0"},` +
	`{"exts":["zip","gz","xz","tar","rar","7z","bz2"],"icon":"zip","color":"#f9a825"},` +
	`{"exts":["exe","msi"],"icon":"exe","color":"#1a237e"},` +
	`{"exts":["apk"],"icon":"android","color":"#8bc34a"},` +
	`{"exts":["go"],"icon":"go","color":"#16b3da"},` +
	`{"exts":["py"],"icon":"python","color":"#3868B2"},` +
	`{"exts":["c"],"icon":"c","color":"#a8b9cc"},` +
	`{"exts":["cpp"],"icon":"cpp","color":"#004482"},` +
	`{"exts":["js","jsx"],"icon":"js","color":"#f4d003"},` +
	`{"exts":["epub"],"icon":"book","color":"#81b315"},` +
	`{"exts":["rs"],"icon":"rust","color":"#000"},` +
	`{"exts":["drawio"],"icon":"flowchart","color":"#F08705"},` +
	`{"exts":["dwb"],"icon":"whiteboard","color":"#F08705"},` +
	`{"exts":["md"],"icon":"markdown","color":"#383838"},` +
	`{"exts":["excalidraw"],"icon":"excalidraw","color":"#6965db"}]`

const defaultEmojis = `{"😀":["😀","😃","😄","😁","😆","😅","🤣","😂","🙂","🙃","😉","😊","😇","🥰","😍","🤩","😘"],` +
	`"🐱":["🐶","🐱","🐭","🐹","🐰","🦊","🐻","🐼","🐨","🐯","🦁","🐮","🐷","🐸","🐵"],` +
	`"🍎":["🍏","🍎","🍐","🍊","🍋","🍌","🍉","🍇","🍓","🫐","🍈","🍒","🍑","🥭","🍍"],` +
	`"📁":["📁","📂","📄","📃","📑","📊","📈","📉","🗂️","🗃️","🗄️","📦","🏷️","🔖","📌"]}`

const defaultViewers = `[{"viewers":[` +
	`{"id":"music","type":"builtin","display_name":"fileManager.musicPlayer","exts":["mp3","ogg","wav","flac","m4a"]},` +
	`{"id":"epub","type":"builtin","display_name":"fileManager.epubViewer","exts":["epub"]},` +
	`{"id":"pdf","type":"builtin","display_name":"fileManager.pdfViewer","exts":["pdf"]},` +
	`{"id":"video","type":"builtin","display_name":"Artplayer","exts":["mp4","mkv","webm","avi","m3u8","mov"]},` +
	`{"id":"markdown","type":"builtin","display_name":"fileManager.markdownEditor","exts":["md"],"templates":[{"ext":"md","display_name":"Markdown"}]},` +
	`{"id":"drawio","type":"builtin","display_name":"draw.io","exts":["drawio","dwb"],"props":{"host":"https://embed.diagrams.net"},"templates":[{"ext":"drawio","display_name":"fileManager.diagram"},{"ext":"dwb","display_name":"fileManager.whiteboard"}]},` +
	`{"id":"image","type":"builtin","display_name":"fileManager.imageViewer","exts":["bmp","png","gif","jpg","jpeg","svg","webp","heic","heif","avif"]},` +
	`{"id":"monaco","type":"builtin","display_name":"fileManager.monacoEditor","exts":["md","txt","json","php","py","bat","c","h","cpp","hpp","cs","css","dockerfile","go","html","htm","ini","java","js","jsx","less","lua","sh","sql","xml","yaml","yml","ts","tsx","rs","toml","log"],"templates":[{"ext":"txt","display_name":"fileManager.text"}],"max_size":52428800},` +
	`{"id":"excalidraw","type":"builtin","display_name":"Excalidraw","exts":["excalidraw"],"templates":[{"ext":"excalidraw","display_name":"Excalidraw"}]},` +
	`{"id":"archive","type":"builtin","display_name":"fileManager.archivePreview","exts":["zip","7z"]}` +
	`]}]`
