package account

import (
	"strconv"

	"github.com/stratus-drive/stratus/internal/captcha"
)

func itoa(n int) string { return strconv.Itoa(n) }

// captchaSettings reads the captcha knobs from site settings.
func (s *Service) captchaSettings() captcha.Settings {
	st := s.settings
	return captcha.Settings{
		Type:             st.String("captcha_type"),
		Width:            int(st.Int("captcha_width")),
		Height:           int(st.Int("captcha_height")),
		Mode:             captcha.Mode(st.Int("captcha_mode")),
		Length:           int(st.Int("captcha_CaptchaLen")),
		ShowNoiseDot:     st.Bool("captcha_IsShowNoiseDot"),
		ShowSlimeLine:    st.Bool("captcha_IsShowSlimeLine"),
		ShowSineLine:     st.Bool("captcha_IsShowSineLine"),
		ShowHollowLine:   st.Bool("captcha_IsShowHollowLine"),
		ShowNoiseText:    st.Bool("captcha_IsShowNoiseText"),
		ComplexNoiseText: int(st.Int("captcha_ComplexOfNoiseText")),
		ComplexNoiseDot:  int(st.Int("captcha_ComplexOfNoiseDot")),
		ReCaptchaSecret:  st.String("captcha_ReCaptchaSecret"),
		TurnstileSecret:  st.String("captcha_turnstile_site_secret"),
		CapInstanceURL:   st.String("captcha_cap_instance_url"),
		CapSiteKey:       st.String("captcha_cap_site_key"),
		CapSecretKey:     st.String("captcha_cap_secret_key"),
		// Tests point these at local fakes; empty means the vendor default.
		ReCaptchaVerifyURL: st.String("captcha_recaptcha_verify_url"),
		TurnstileVerifyURL: st.String("captcha_turnstile_verify_url"),
	}
}
